import Foundation

/// Flat- and dark-field correction and the Beer–Lambert transform, with tomopy's `normalize` and
/// NoStripesNet's guards (docs/reference/tomography.md §7.2 step 3), in float32 as they compute it:
///
///     t = (p − d̄) / max(f̄ − d̄, 10⁻⁶),   NaN → 0,   t ≤ 0 → 10⁻⁹,   a = −ln t
///
/// where d̄ and f̄ are the mean dark and flat frames over the slab's rows and columns (its plane).
public struct Absorption: Sendable {
    /// tomopy's smallest denominator.
    public static let minimumDenominator: Float = 1e-6
    /// NoStripesNet's floor before the logarithm.
    public static let minimumTransmission: Float = 1e-9

    let dark: [Float]
    /// max(f̄ − d̄, 10⁻⁶) per pixel of the plane.
    let denominator: [Float]

    /// The correction for one plane, from its mean `flat` and `dark` (equal sizes).
    public init(flat: [Float], dark: [Float]) {
        precondition(dark.count == flat.count && !flat.isEmpty, "flat and dark disagree")
        self.dark = dark
        denominator = zip(flat, dark).map { max($0 - $1, Self.minimumDenominator) }
    }

    /// Replaces whole frames of the plane in `slab` by their absorption.
    public func apply(to slab: inout MutableSpan<Float>) {
        let plane = denominator.count
        precondition(slab.count % plane == 0, "a slab of partial frames")
        slab.withUnsafeMutableBufferPointer { slab in
            dark.withUnsafeBufferPointer { d in
                denominator.withUnsafeBufferPointer { q in
                    for frame in 0..<slab.count / plane {
                        let values = slab.baseAddress! + frame * plane
                        for p in 0..<plane { values[p] = Self.absorption(values[p], dark: d[p], denominator: q[p]) }
                    }
                }
            }
        }
    }

    /// The absorption of the uint16 pixels `raw` of one frame, starting at pixel `first` of the plane, into
    /// `values` (as many).
    @inline(__always)
    public func apply(_ raw: Span<UInt16>, at first: Int, into values: inout MutableSpan<Float>) {
        let count = raw.count
        precondition(first >= 0 && first + count <= denominator.count, "pixels outside the plane")
        precondition(values.count == count, "output of the wrong size")
        guard count > 0 else { return }
        raw.withUnsafeBufferPointer { raw in
            values.withUnsafeMutableBufferPointer { values in
                dark.withUnsafeBufferPointer { d in
                    denominator.withUnsafeBufferPointer { q in
                        let (raw, values) = (raw.baseAddress!, values.baseAddress!)
                        let (d, q) = (d.baseAddress! + first, q.baseAddress! + first)
                        for p in 0..<count {
                            values[p] = Self.absorption(Float(raw[p]), dark: d[p], denominator: q[p])
                        }
                    }
                }
            }
        }
    }

    /// One pixel's absorption, branch-free so that loops over it vectorise; the logarithm is ``logPositive(_:)``
    /// for every pixel, so a pixel's result depends on its values only, not on how the plane is cut into calls.
    @inline(__always)
    static func absorption(_ value: Float, dark: Float, denominator: Float) -> Float {
        let t = (value - dark) / denominator
        let guarded = t.isNaN ? 0 : t
        return -logPositive(guarded > 0 ? guarded : minimumTransmission)
    }

    /// ln x for x > 0 (subnormal and +∞ included), branch-free so that loops over it vectorise: Cephes `logf`
    /// (x = m·2ᵉ with m in [√½, √2), ln x = e·ln 2 + ln m, ln(1 + f) from Cephes' polynomial, evaluated with fused
    /// multiply-adds; within 2 ulp of libm's `logf`, tested over the whole float range).
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
        // The degree-8 polynomial as even and odd parts in z = m², with fused multiply-adds: two short chains
        // instead of one of nine steps, so that the vectorised loop is not bound by their latency.
        var even: Float = 7.0376836292e-2
        even = (1.1676998740e-1 as Float).addingProduct(even, z)
        even = (1.4249322787e-1 as Float).addingProduct(even, z)
        even = (2.0000714765e-1 as Float).addingProduct(even, z)
        even = (3.3333331174e-1 as Float).addingProduct(even, z)
        var odd: Float = -1.1514610310e-1
        odd = (-1.2420140846e-1 as Float).addingProduct(odd, z)
        odd = (-1.6668057665e-1 as Float).addingProduct(odd, z)
        odd = (-2.4999993993e-1 as Float).addingProduct(odd, z)
        var y = even.addingProduct(odd, m)
        y = y * m * z
        y += e * -2.12194440e-4
        y -= z * 0.5
        let result = (m + y) + e * 0.693359375
        return x == .infinity ? .infinity : result
    }
}
