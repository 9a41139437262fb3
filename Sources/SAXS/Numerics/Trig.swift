import Foundation

/// sin and cos for the amplitude loops, inlined: about a third of the generator's time went to glibc's sin and cos.
public enum Trig {
    // π/2 = p1 + p2 + p3 to ~1e-37: p1 and p2 are its leading bits cut to 33 significant bits (so k·p1 and k·p2
    // are exact for |k| < 2^20), p3 the rest rounded to double (computed with 300-bit π).
    @usableFromInline static let p1 = 0x1.921fb544p+0
    @usableFromInline static let p2 = 0x1.0b4611a6p-34
    @usableFromInline static let p3 = 0x1.3198a2e037073p-69
    @usableFromInline static let twoOverPi = 0x1.45f306dc9c883p-1
    /// 1.5·2^52: adding it rounds a double below 2^51 to an integer held in the low mantissa bits.
    @usableFromInline static let shifter = 0x1.8p52

    /// (sin x, cos x), within a few ulp of glibc for |x| < 10^6; glibc beyond.
    ///
    /// Cody–Waite reduction x = k·π/2 + r with the three-part π/2 above, then Taylor series on |r| ≤ π/4 through
    /// r¹⁷ and r¹⁶ (truncation below 10⁻¹⁷), and the quadrant k mod 4 picks and signs the two.
    @inlinable @inline(__always)
    public static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        guard abs(x) < 1e6 else { return (Foundation.sin(x), Foundation.cos(x)) }
        let t = x * twoOverPi + shifter
        let k = t - shifter
        let quadrant = Int(truncatingIfNeeded: t.bitPattern & 3)
        let r = ((x - k * p1) - k * p2) - k * p3
        let z = r * r
        // sin r = r Σ (−z)^n/(2n+1)!, cos r = Σ (−z)^n/(2n)!
        let sinPoly = -1.0 / 6 + z * (1.0 / 120 + z * (-1.0 / 5040 + z * (1.0 / 362_880 + z * (-1.0 / 39_916_800
            + z * (1.0 / 6_227_020_800 + z * (-1.0 / 1_307_674_368_000 + z * (1.0 / 355_687_428_096_000)))))))
        let cosPoly = -0.5 + z * (1.0 / 24 + z * (-1.0 / 720 + z * (1.0 / 40320 + z * (-1.0 / 3_628_800
            + z * (1.0 / 479_001_600 + z * (-1.0 / 87_178_291_200 + z * (1.0 / 20_922_789_888_000)))))))
        let s = r + r * z * sinPoly
        let c = 1 + z * cosPoly
        let swap = quadrant & 1 != 0
        let sine = swap ? c : s, cosine = swap ? s : c
        return (quadrant & 2 != 0 ? -sine : sine, (quadrant + 1) & 2 != 0 ? -cosine : cosine)
    }
}
