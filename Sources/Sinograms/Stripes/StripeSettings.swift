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

    /// Checks the settings against TomoPhantom's own limits, naming the config key at fault under `key` (the
    /// settings' own key: `stripes`, `paired_stripes`, `patch_stripes`).
    public func validate(key: String = "stripes") throws(ConfigError) {
        if !(percentage > 0 && percentage <= 100) {
            throw ConfigError(key: key + ".percentage", "must be in (0, 100] (got \(percentage))")
        }
        if !(0...10).contains(maxThickness) {
            throw ConfigError(key: key + ".max_thickness", "must be in 0...10 (got \(maxThickness))")
        }
        // Both are fractions of the sinogram's maximum: 100 × max has no meaning.
        if !(intensity >= 0 && intensity <= 100) {
            throw ConfigError(key: key + ".intensity", "must be in [0, 100] (got \(intensity))")
        }
        if !(variability >= 0 && variability <= 100) {
            throw ConfigError(key: key + ".variability", "must be in [0, 100] (got \(variability))")
        }
    }
}
