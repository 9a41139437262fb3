import Testing
@testable import Formats

@Suite struct ChiCurveSelectionTests {
    let curve = ChiCurve(x: [1, 2, 3, 4, 5], intensity: [10, 20, 30, 40, 50], error: [1, 2, 3, 4, 5])

    @Test("trimmed is plotchi's [s:-k], except that k = 0 keeps the end")
    func trimmed() {
        #expect(curve.trimmed(skip: 1, clip: 1) == ChiCurve(x: [2, 3, 4], intensity: [20, 30, 40], error: [2, 3, 4]))
        #expect(curve.trimmed(skip: 0, clip: 0) == curve)
        #expect(curve.trimmed(skip: 4, clip: 3).x.isEmpty)
    }

    @Test("interpolation is numpy.interp with NaN outside the range")
    func interpolation() {
        let values = curve.intensity(at: [0.5, 1, 1.25, 4.5, 5, 5.5])
        #expect(values[0].isNaN && values[5].isNaN)
        #expect(Array(values[1...4]) == [10, 12.5, 45, 50])
        #expect(ChiCurve(x: [1, 1, 2], intensity: [3, 4, 5], error: nil).intensity(at: [1.5]) == [4.5])
    }
}
