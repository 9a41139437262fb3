import Core
import Foundation
import Testing
@testable import Stack

@Suite struct StripeMaskTests {
    /// The mirrored window count against counting the C code's window one index at a time.
    @Test func countsAlongAnglesMatchTheMirroredWindow() {
        var generator = SystemRandomNumberGenerator()
        let angles = 23, columns = 3, half = 9
        let values = (0..<angles * columns).map { _ in UInt8.random(in: 0...1, using: &generator) }
        var prefix = [Int32](repeating: 0, count: (angles + 1) * columns)
        var counts = [Int32](repeating: 0, count: columns)
        var seen = 0
        StripeMask.countAlongAngles(values, angles: angles, columns: columns, half: half, prefix: &prefix,
                                    counts: &counts) { k, n in
            #expect(k == seen)
            seen += 1
            for i in 0..<columns {
                var expected: Int32 = 0
                for m in -half...half {
                    var k1 = k + m
                    if k1 < 0 || k1 >= angles { k1 = k - m }
                    expected += Int32(values[k1 * columns + i])
                }
                #expect(n[i] == expected, "k \(k), i \(i)")
            }
        }
        #expect(seen == angles)
    }

    @Test func ratioIsSmallerOverLargerAndZeroForEmptyMeans() {
        #expect(StripeMask.ratio(1, 4) == 0.25)
        #expect(StripeMask.ratio(4, 1) == 0.25)
        #expect(StripeMask.ratio(0, 0) == 0)
        #expect(StripeMask.ratio(0, 3) == 0)
    }

    @Test func nostripesnetDefaultsNeed18GhostRows() throws {
        #expect(StripeMaskSettings().ghostRows == 18)
        try StripeMaskSettings().validate(angles: 1801, rows: 2160, columns: 2560)
        let error = #expect(throws: ConfigError.self) {
            try StripeMaskSettings().validate(angles: 600, rows: 2160, columns: 2560)
        }
        #expect(error?.key == "stripe_mask")
    }
}
