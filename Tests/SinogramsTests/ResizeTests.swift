import Foundation
import Testing
@testable import Sinograms

@Suite struct ResizeTests {
    @Test func weightsOfEachOutputSampleSumToOne() {
        for (input, output) in [(1801, 402), (2560, 362), (60, 30), (64, 32), (10, 10)] {
            let axis = ResizeAxis(input: input, output: output)
            for o in 0..<output {
                let sum = axis.weights[o * axis.width..<(o + 1) * axis.width].reduce(0, +)
                #expect(abs(sum - 1) < 1e-12, "\(input) → \(output), sample \(o)")
                #expect(axis.starts[o] >= 0 && axis.starts[o] + axis.width <= input)
            }
        }
    }

    @Test func sameSizeIsTheIdentity() {
        let axis = ResizeAxis(input: 7, output: 7)
        #expect(ResizeAxis.sigma(input: 7, output: 7) == 0)
        for o in 0..<7 {
            for k in 0..<axis.width {
                let expected: Double = axis.starts[o] + k == o ? 1 : 0
                #expect(axis.weights[o * axis.width + k] == expected)
            }
        }
    }

    @Test func scikitImageSigmas() {
        // docs/reference/tomography.md §7.2: 1.74 for 1801 → 402 and 3.04 for 2560 → 362.
        #expect(abs(ResizeAxis.sigma(input: 1801, output: 402) - 1.74) < 0.005)
        #expect(abs(ResizeAxis.sigma(input: 2560, output: 362) - 3.04) < 0.005)
    }
}
