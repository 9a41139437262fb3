import Foundation

/// Flat- and dark-field correction and the Beer–Lambert transform, with tomopy's `normalize` and
/// NoStripesNet's guards (tomography.md §7.2 step 3), in float32 as they compute it:
///
///     t = (p − d̄) / max(f̄ − d̄, 10⁻⁶),   NaN → 0,   t ≤ 0 → 10⁻⁹,   a = −ln t
///
/// where d̄ and f̄ are the mean dark and flat frames.
public enum Absorption {
    /// tomopy's smallest denominator.
    public static let minimumDenominator: Float = 1e-6
    /// NoStripesNet's floor before the logarithm.
    public static let minimumTransmission: Float = 1e-9

    /// Replaces the frames in `slab` ((frames, plane) values, `plane` = rows × columns of the slab) by their
    /// absorption, given the mean `flat` and `dark` over the same rows and columns (`plane` values each).
    ///
    /// A branch-free loop the compiler vectorises; the logarithm is ``logPositive(_:)`` for every pixel, so a
    /// pixel's result depends on its values only, not on where the slab's rows begin.
    public static func apply(to slab: UnsafeMutableBufferPointer<Float>, flat: [Float], dark: [Float]) {
        let plane = flat.count
        precondition(dark.count == plane && plane > 0 && slab.count % plane == 0, "flat, dark and slab disagree")
        let denominator = zip(flat, dark).map { max($0 - $1, minimumDenominator) }
        dark.withUnsafeBufferPointer { d in
            denominator.withUnsafeBufferPointer { q in
                for frame in 0..<slab.count / plane {
                    let values = UnsafeMutableBufferPointer(rebasing: slab[frame * plane..<(frame + 1) * plane])
                    for p in 0..<plane {
                        let t = (values[p] - d[p]) / q[p]
                        let guarded = t.isNaN ? 0 : t
                        values[p] = -logPositive(guarded > 0 ? guarded : minimumTransmission)
                    }
                }
            }
        }
    }

    /// ln x for x > 0 (subnormal and +∞ included), branch-free so that loops over it vectorise: Cephes `logf`
    /// (x = m·2ᵉ with m in [√½, √2), ln x = e·ln 2 + ln m, ln(1 + f) from a degree-9 polynomial; within about
    /// 1 ulp of the correctly rounded result).
    @inline(__always)
    public static func logPositive(_ x: Float) -> Float {
        // Subnormals scaled into the normal range first.
        let subnormal = x < Float.leastNormalMagnitude
        let scaled = subnormal ? x * 8388608 : x  // 2^23
        let bits = scaled.bitPattern
        var e = Float(Int32(bitPattern: bits >> 23) - 126) - (subnormal ? 23 : 0)
        var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F00_0000)  // in [0.5, 1)
        let low = m < 0.707106781186547524
        e = low ? e - 1 : e
        m = (low ? m + m : m) - 1
        let z = m * m
        var y: Float = 7.0376836292e-2
        y = y * m - 1.1514610310e-1
        y = y * m + 1.1676998740e-1
        y = y * m - 1.2420140846e-1
        y = y * m + 1.4249322787e-1
        y = y * m - 1.6668057665e-1
        y = y * m + 2.0000714765e-1
        y = y * m - 2.4999993993e-1
        y = y * m + 3.3333331174e-1
        y = y * m * z
        y += e * -2.12194440e-4
        y -= z * 0.5
        let result = (m + y) + e * 0.693359375
        return x == .infinity ? .infinity : result
    }
}
