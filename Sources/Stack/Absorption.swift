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
    public static func apply(to slab: UnsafeMutableBufferPointer<Float>, flat: [Float], dark: [Float]) {
        let plane = flat.count
        precondition(dark.count == plane && plane > 0 && slab.count % plane == 0, "flat, dark and slab disagree")
        let denominator = zip(flat, dark).map { max($0 - $1, minimumDenominator) }
        dark.withUnsafeBufferPointer { d in
            denominator.withUnsafeBufferPointer { q in
                for frame in 0..<slab.count / plane {
                    let base = frame * plane
                    for p in 0..<plane {
                        var t = (slab[base + p] - d[p]) / q[p]
                        if t.isNaN { t = 0 }
                        slab[base + p] = -log(t > 0 ? t : minimumTransmission)
                    }
                }
            }
        }
    }
}
