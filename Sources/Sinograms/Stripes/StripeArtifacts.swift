import Core

/// What ``StripeArtifacts/apply(_:to:angles:columns:maxIntensity:random:)`` did to one sinogram.
public struct StripeReport: Sendable, Equatable {
    /// Stripes placed (a stripe too close to the edge for its width is skipped, as in TomoPhantom).
    public var placed = 0
    /// Distinct columns touched.
    public var columns = 0

    /// Nothing placed yet.
    public init() {}
}

/// TomoPhantom's stripe artefacts (``StripeSettings``) added to sinograms in place.
public enum StripeArtifacts {
    /// Adds stripes to one sinogram (`angles × columns`, in place), TomoPhantom's algorithm row by row:
    /// for each of int(H·p/100) stripes, pick a column c (up to 20 tries for one whose value at angle 0 is not 0),
    /// an angle range (all, or [a1, a2) with a1, a2 drawn from 0...A), a half-width t in 0...maxThickness and an
    /// offset m·U(−1, 0.5)·intensity; if t < c < H − t, add the offset (plus its random walk) to columns c−t...c+t.
    /// `maxIntensity` is m, the maximum of the whole data before any stripe.
    @discardableResult
    public static func apply(_ settings: StripeSettings, to sinogram: inout MutableSpan<Float>, angles: Int,
                             columns: Int, maxIntensity: Double, random: inout RandomStream) -> StripeReport {
        precondition(sinogram.count == angles * columns, "sinogram of the wrong size")
        var report = StripeReport()
        var touched = [Bool](repeating: false, count: columns)
        for _ in 0..<settings.count(columns: columns) {
            var c = 0
            for _ in 0..<20 {
                c = random.integer(in: 0..<columns)
                if sinogram[c] != 0 { break }
            }
            var first = 0, last = angles
            if settings.kind == .partial {
                first = random.integer(in: 0..<angles + 1)
                last = random.integer(in: 0..<angles + 1)
            }
            let t = random.integer(in: 0..<settings.maxThickness + 1)
            let offset = maxIntensity * random.uniform(in: -1...0.5) * settings.intensity
            guard c > t && c < columns - t else { continue }
            report.placed += 1
            let step = settings.variability * maxIntensity
            for x in c - t...c + t {
                touched[x] = true
                var drift = step
                for a in first..<max(first, last) {
                    sinogram[a * columns + x] += Float(offset + drift)
                    if step != 0 { drift += random.integer(in: 0..<2) == 0 ? -step : step }
                }
            }
        }
        report.columns = touched.count { $0 }
        return report
    }
}
