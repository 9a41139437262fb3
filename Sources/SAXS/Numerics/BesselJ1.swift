import Foundation

/// The normalised amplitudes the form factors are built from, in double precision (single precision fails at the
/// large q·R of this generator, sasmodels #295).
public enum Amplitude {
    /// The sphere amplitude Φ(x) = 3(sin x − x cos x)/x³, with Φ(0) = 1.
    ///
    /// Below |x| = 0.1 the Taylor series 1 − x²/10 + x⁴/280 − x⁶/15120 avoids the cancellation of the closed form
    /// (sasmodels `lib/sas_3j1x_x.c`).
    @inlinable
    public static func sphere(_ x: Double) -> Double {
        if abs(x) < 0.1 {
            let x2 = x * x
            return 1 - x2 / 10 * (1 - x2 / 28 * (1 - x2 / 54))
        }
        let (s, c) = Trig.sinCos(x)
        return 3 * (s - x * c) / (x * x * x)
    }

    /// The disc (cylinder cross-section) amplitude 2·J₁(x)/x, with value 1 at x = 0 (sasmodels `lib/sas_2J1x_x.c`).
    @inlinable
    public static func disc(_ x: Double) -> Double {
        if abs(x) < 1e-4 { return 1 - x * x / 8 }
        return 2 * BesselJ1.value(x) / x
    }

    /// sinc(x) = sin(x)/x, with value 1 at x = 0 (the amplitude of a rod's length).
    @inlinable
    public static func sinc(_ x: Double) -> Double {
        if abs(x) < 1e-4 { return 1 - x * x / 6 }
        return Trig.sinCos(x).sin / x
    }
}

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

/// The Bessel function J₁ for the disc amplitude, in place of glibc's j1, whose internal cos and sincos made it a
/// third of the generator's time once sin and cos were inlined. Agrees with glibc to 1e-15 absolute (tested).
///
/// - Below x = 25: degree-10 Taylor polynomials about the centres of intervals of width 1/4, built once from glibc's
///   Bessel functions through J₁⁽ᵏ⁾ = 2⁻ᵏ Σⱼ (−1)ʲ C(k, j) J₁₋ₖ₊₂ⱼ (DLMF 10.6.7); the remainder is below 0.125¹¹/11!.
/// - From 25 on: Hankel's asymptotic expansion (DLMF 10.17.3), J₁(x) = (P·(sin x − cos x) + Q·(sin x + cos x))/√(πx)
///   with P = Σ (−1)ᵏ a₂ₖ/x²ᵏ, Q = Σ (−1)ᵏ a₂ₖ₊₁/x²ᵏ⁺¹, aₖ = aₖ₋₁(4 − (2k − 1)²)/(8k); the terms left out are
///   below 1e-17 (20 terms kept from x = 25, 12 from x = 60).
public enum BesselJ1 {
    @usableFromInline static let step = 0.25
    @usableFromInline static let cut = 25.0
    @usableFromInline static let terms = 11

    /// `terms` coefficients per interval i, in t = (x − xᵢ)/(step/2) ∈ [−1, 1], xᵢ = (i + ½)·step.
    @usableFromInline static let taylor: [Double] = {
        let intervals = Int(cut / step)
        var table = [Double](repeating: 0, count: intervals * terms)
        for i in 0..<intervals {
            let centre = (Double(i) + 0.5) * step
            var scale = 1.0  // (step/2)^k / k!
            for k in 0..<terms {
                var derivative = 0.0
                var binomial = 1.0
                for j in 0...k {
                    let order = 1 - k + 2 * j
                    // J₋ₙ = (−1)ⁿ Jₙ
                    let value = order < 0 && (-order) % 2 == 1 ? -jn(Int32(-order), centre) : jn(Int32(abs(order)), centre)
                    derivative += (j % 2 == 0 ? 1 : -1) * binomial * value
                    binomial = binomial * Double(k - j) / Double(j + 1)
                }
                table[i * terms + k] = derivative / Double(1 << k) * scale
                scale *= step / 2 / Double(k + 1)
            }
        }
        return table
    }()

    /// J₁(x) for any finite x (J₁ is odd).
    @inlinable
    public static func value(_ x: Double) -> Double {
        let ax = abs(x)
        let magnitude: Double
        if ax < cut {
            magnitude = series(ax)
        } else {
            guard ax.isFinite else { return 0 }
            let (h, z) = hankel(ax)
            magnitude = h * (z * (1 / Double.pi)).squareRoot()
        }
        return x < 0 ? -magnitude : magnitude
    }

    /// J₁(x)², without the square root of the asymptotic form.
    @inlinable
    public static func squared(_ x: Double) -> Double {
        let ax = abs(x)
        if ax < cut {
            let j = series(ax)
            return j * j
        }
        guard ax.isFinite else { return 0 }
        let (h, z) = hankel(ax)
        return h * h * z * (1 / Double.pi)
    }

    /// The interval's Taylor polynomial, 0 ≤ x < `cut`.
    @inlinable @inline(__always)
    static func series(_ x: Double) -> Double {
        let i = Int(x * (1 / step))
        let t = (x - (Double(i) + 0.5) * step) * (2 / step)
        return taylor.withUnsafeBufferPointer { c in
            let base = i * terms
            var sum = c[base + terms - 1]
            for k in stride(from: terms - 2, through: 0, by: -1) { sum = sum * t + c[base + k] }
            return sum
        }
    }

    /// P·(sin x − cos x) + Q·(sin x + cos x) and z = 1/x, for x ≥ `cut`: J₁ = that × √(z/π). The coefficients are
    /// (−1)ᵏ a₂ₖ for P and (−1)ᵏ a₂ₖ₊₁ for Q from the recurrence above.
    @inlinable @inline(__always)
    static func hankel(_ x: Double) -> (Double, Double) {
        let z = 1 / x, z2 = z * z
        var p: Double, q: Double
        if x < 60 {
            p = 1.0 + z2 * (0.1171875 + z2 * (-0.144195556640625 + z2 * (0.6765925884246826 + z2 * (-6.883914268109947
                + z2 * (121.59789187653587 + z2 * (-3302.2722944808525 + z2 * (127641.2726461746
                + z2 * (-6656367.718817688 + z2 * 450278600.3050393))))))))
            q = 0.375 + z2 * (-0.1025390625 + z2 * (0.2775764465332031 + z2 * (-1.993531733751297
                + z2 * (27.248827311268542 + z2 * (-603.8440767050702 + z2 * (19718.37591223663
                + z2 * (-890297.8767070678 + z2 * (53104110.10968523 + z2 * -4043620325.107754))))))))
        } else {
            p = 1.0 + z2 * (0.1171875 + z2 * (-0.144195556640625 + z2 * (0.6765925884246826
                + z2 * (-6.883914268109947 + z2 * 121.59789187653587))))
            q = 0.375 + z2 * (-0.1025390625 + z2 * (0.2775764465332031 + z2 * (-1.993531733751297
                + z2 * (27.248827311268542 + z2 * -603.8440767050702))))
        }
        q *= z
        let (s, c) = Trig.sinCos(x)
        return (p * (s - c) + q * (s + c), z)
    }
}
