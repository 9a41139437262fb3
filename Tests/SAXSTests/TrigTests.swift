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

/// J₁ against glibc's j1: 1e-15 absolute over the generator's range (J₁ ≤ 0.582; the disc amplitude 2J₁(x)/x then
/// carries a relative error below 1e-15/|J₁(x)|, far inside the 1e-9 the golden values are checked to).
struct BesselJ1Tests {
    @Test func agreesWithGlibc() {
        var worst = 0.0, worstAt = 0.0
        var x = 0.0
        while x < 3000 {
            for v in [x, -x] {
                let d = abs(BesselJ1.value(v) - j1(v))
                if d > worst { worst = d; worstAt = v }
            }
            x += x < 30 ? 0.000987654321 : 0.0123456789
        }
        for edge in [24.999999999, 25, 25.000000001, 0.25, 0.5, 1e-10] {
            worst = max(worst, abs(BesselJ1.value(edge) - j1(edge)))
        }
        #expect(worst < 1e-15, "worst absolute difference \(worst) at \(worstAt)")
    }
}

extension BesselJ1Tests {
    @Test func squaredIsTheSquare() {
        var x = 0.0
        while x < 3000 {
            let j = BesselJ1.value(x)
            #expect(abs(BesselJ1.squared(x) - j * j) <= 1e-15 * max(j * j, 1e-3))
            x += x < 30 ? 0.0031 : 0.37
        }
    }
}
