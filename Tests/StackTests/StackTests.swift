import Foundation
import Formats
@testable import Stack
import Testing

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
        // tomography.md §7.2: 1.74 for 1801 → 402 and 3.04 for 2560 → 362.
        #expect(abs(ResizeAxis.sigma(input: 1801, output: 402) - 1.74) < 0.005)
        #expect(abs(ResizeAxis.sigma(input: 2560, output: 362) - 3.04) < 0.005)
    }
}

@Suite struct StripeMaskTests {
    /// The mirrored window count against counting the C code's window one index at a time.
    @Test func countsAlongAnglesMatchTheMirroredWindow() {
        var generator = SystemRandomNumberGenerator()
        let angles = 23, columns = 3, half = 9
        let values = (0..<angles * columns).map { _ in UInt8.random(in: 0...1, using: &generator) }
        StripeMask.countAlongAngles(values, angles: angles, columns: columns, half: half) { k, i, n in
            var expected = 0
            for m in -half...half {
                var k1 = k + m
                if k1 < 0 || k1 >= angles { k1 = k - m }
                expected += Int(values[k1 * columns + i])
            }
            #expect(n == expected, "k \(k), i \(i)")
        }
    }

    @Test func ratioIsSmallerOverLargerAndZeroForEmptyMeans() {
        #expect(StripeMask.ratio(1, 4) == 0.25)
        #expect(StripeMask.ratio(4, 1) == 0.25)
        #expect(StripeMask.ratio(0, 0) == 0)
        #expect(StripeMask.ratio(0, 3) == 0)
    }

    @Test func nostripesnetDefaultsNeed18GhostRows() {
        #expect(StripeMaskSettings().ghostRows == 18)
        #expect(StripeMaskSettings().problem(angles: 1801, rows: 2160, columns: 2560) == nil)
        #expect(StripeMaskSettings().problem(angles: 600, rows: 2160, columns: 2560)?.key == "mask")
    }
}

@Suite struct NPYTests {
    @Test func headerRoundTripsAndAlignsTheData() throws {
        let header = NPYHeader(descr: "|u1", shape: [1801, 2160, 2560])
        let encoded = header.encoded()
        #expect(encoded.count % 64 == 0)
        let parsed = try #require(try NPYHeader.parse(encoded, source: "test"))
        #expect(parsed.header == header)
        #expect(parsed.dataOffset == encoded.count)
        let one = NPYHeader(descr: "<f4", shape: [5])
        #expect(try NPYHeader.parse(one.encoded(), source: "test")?.header == one)
    }

    @Test func archiveWritesAndStreamsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values = (0..<3000).map { UInt8($0 % 7) }
        for key in ["a", "b", "a"] {
            try NPZ.write(key: key, header: NPYHeader(descr: "|u1", shape: [3, 1000]), elementSize: 1, to: path) { offset, buffer in
                for i in 0..<buffer.count { buffer[i] = values[offset + i] }
            }
        }
        #expect(try NPZ.members(of: path).keys.sorted() == ["a", "b"])
        var read = [UInt8]()
        try NPZ.read(key: "b", from: path) { offset, bytes in
            #expect(offset == read.count)
            read += bytes
        }
        #expect(read == values)
        #expect(throws: FormatError.self) { try NPZ.read(key: "c", from: path) { _, _ in } }
    }
}
