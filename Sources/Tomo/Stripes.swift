import Core

/// TomoPhantom's stripe artefacts (`artefacts_mix` / v2 `_Artifacts_` with `stripes_*` keys): constant offsets
/// along angles in a few detector columns, which reconstruct to rings.
public struct StripeSettings: Sendable, Equatable {
    public enum Kind: String, Sendable { case full, partial }

    /// Stripes per sinogram as a percentage of the columns: int(H·percentage/100) of them.
    public var percentage: Double
    /// The half-width t is drawn from 0...maxThickness; a stripe covers 2t+1 columns.
    public var maxThickness: Int
    /// The offset is max·U(−1, 0.5)·intensity.
    public var intensity: Double
    /// All angles, or a random range [a1, a2) of them.
    public var kind: Kind
    /// Amplitude of a ±variability·max random walk of the offset along angles (0: constant).
    public var variability: Double

    public init(percentage: Double, maxThickness: Int, intensity: Double, kind: Kind, variability: Double) {
        self.percentage = percentage
        self.maxThickness = maxThickness
        self.intensity = intensity
        self.kind = kind
        self.variability = variability
    }

    /// NoStripesNet's simple mode: 1.2 %, thickness up to 3, intensity 0.25, 'mix' (which TomoPhantom treats as
    /// full), no variability: 4 stripes per 362-column sinogram.
    public static let simpleMode = StripeSettings(percentage: 1.2, maxThickness: 3, intensity: 0.25, kind: .full,
                                                  variability: 0)

    /// Stripes per sinogram for `columns` columns, computed in float32 as TomoPhantom does.
    public func count(columns: Int) -> Int { Int(Float(columns) * (Float(percentage) / 100)) }

    /// Why the settings are invalid (TomoPhantom's own limits), naming the config key, or nil.
    public var problem: ConfigError? {
        if !(percentage > 0 && percentage <= 100) {
            return ConfigError(key: "stripes.percentage", "must be in (0, 100] (got \(percentage))")
        }
        if !(0...10).contains(maxThickness) {
            return ConfigError(key: "stripes.max_thickness", "must be in 0...10 (got \(maxThickness))")
        }
        if !(intensity >= 0 && intensity.isFinite) {
            return ConfigError(key: "stripes.intensity", "must be ≥ 0 (got \(intensity))")
        }
        if !(variability >= 0 && variability.isFinite) {
            return ConfigError(key: "stripes.variability", "must be ≥ 0 (got \(variability))")
        }
        return nil
    }
}

/// What ``StripeArtifacts/apply(_:to:angles:columns:maxIntensity:random:)`` did to one sinogram.
public struct StripeReport: Sendable, Equatable {
    /// Stripes placed (a stripe too close to the edge for its width is skipped, as in TomoPhantom).
    public var placed = 0
    /// Distinct columns touched.
    public var columns = 0
}

public enum StripeArtifacts {
    /// Adds stripes to one sinogram (`angles × columns`, in place), TomoPhantom's algorithm row by row:
    /// for each of int(H·p/100) stripes, pick a column c (up to 20 tries for one whose value at angle 0 is not 0),
    /// an angle range (all, or [a1, a2) with a1, a2 drawn from 0...A), a half-width t in 0...maxThickness and an
    /// offset m·U(−1, 0.5)·intensity; if t < c < H − t, add the offset (plus its random walk) to columns c−t...c+t.
    /// `maxIntensity` is m, the maximum of the whole data before any stripe.
    @discardableResult
    public static func apply(_ settings: StripeSettings, to sinogram: UnsafeMutableBufferPointer<Float>, angles: Int,
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
