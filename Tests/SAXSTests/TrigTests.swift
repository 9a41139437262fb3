import Foundation
import Testing
import SAXS

/// The inlined sin/cos against glibc. Tolerance: 4 ulp of 1 in absolute terms (the reduction keeps r to ~1e-16
/// absolute, so near a zero of sin the relative error is larger; the amplitudes only need absolute accuracy).
struct TrigTests {
    @Test func agreesWithGlibcOverTheGeneratorsRange() {
        var x = -2000.0
        var worst = 0.0
        // An irrational step visits every quadrant and many phases; plus the quadrant boundaries exactly.
        var points: [Double] = []
        while x < 2000 { points.append(x); x += 0.0123456789 }
        points += (-8...8).map { Double($0) * Double.pi / 4 } + [0, -0.0, 1e-300, 5e5 + 0.1, 999_999.9]
        for x in points {
            let (s, c) = Trig.sinCos(x)
            worst = max(worst, abs(s - sin(x)), abs(c - cos(x)))
        }
        #expect(worst < 4 * Double.ulpOfOne, "worst absolute difference \(worst)")
    }

    @Test func fallsBackToGlibcBeyondTheReductionRange() {
        for x in [1e6, -3.3e7, 1e300] {
            #expect(Trig.sinCos(x) == (sin(x), cos(x)))
        }
        let nan = Trig.sinCos(.infinity)
        #expect(nan.sin.isNaN && nan.cos.isNaN)
    }
}
