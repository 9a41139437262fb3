import Core
import Foundation

/// The flat-field model of NoStripesNet's complex mode (`flatgen_mod.synth_flats_mod`, after TomoPhantom's
/// `synth_flats`): a beam profile with scintillator background and speckle, and maps of miscalibrated detector
/// pixels whose time-varying response makes the stripes.
public struct FlatFieldSettings: Sendable, Equatable {
    /// I0, photons per pixel of the open beam at its brightest.
    public var sourceIntensity: Double = 40000
    /// Flat fields averaged for the normalisation.
    public var flats: Int = 20
    /// Arguments of the spherical Bessel y₁ background, spread over the detector rows.
    public var besselRange: ClosedRange<Double> = 1...25
    /// Beam speckle: size in pixels and mean photons per pixel (NoStripesNet: 3 and 2).
    public var speckleSize: Double = 3
    public var speckleDensity: Double = 2
    /// Defect maps: speckle of size 10 and 0.03 photons per pixel, Gaussian blur σ = 2, kept above 0.6·max.
    public var defectSpeckleSize: Double = 10
    public var defectDensity: Double = 0.03
    public var defectSmoothing: Double = 2
    public var defectThreshold: Double = 0.6
    /// Defect strength as a fraction of I0 (NoStripesNet 0.07, TomoPhantom 0.05).
    public var miscalibration: Double = 0.07
    /// Gaussian electronic noise in counts, 11^(1/4) as TomoPhantom's `noise()` adds.
    public var electronicNoise: Double = pow(11, 0.25)

    public init() {}

    /// Throws when the settings cannot be used, naming the config key.
    public func validate() throws(ConfigError) {
        try ConfigError.bound(sourceIntensity, key: "I0", 0, 1e12, lowerOpen: true, unit: "photons per pixel",
                              why: "detector pixels count up to about 1e6 per frame")
        if !(1..<RandomPurpose.maxIndex).contains(flats) {
            throw ConfigError(key: "flats",
                               "(--flatsnum) must be from 1 to \(RandomPurpose.maxIndex - 1) (got \(flats))")
        }
        // Upper bounds: sizes and blurs beyond 1000 pixels exceed any detector; densities beyond 1e6 photons per
        // pixel and noise beyond 1e6 counts exceed a pixel's range; a threshold or strength of 100 × max has no
        // meaning.
        let bounded: [(key: String, value: Double, minimum: Double, maximum: Double, requirement: String)] = [
            ("flat_field.speckle_size", speckleSize, 1, 1000, "at least 1 pixel"),
            ("flat_field.defect_speckle_size", defectSpeckleSize, 1, 1000, "at least 1 pixel"),
            ("flat_field.speckle_density", speckleDensity, .leastNonzeroMagnitude, 1e6, "positive"),
            ("flat_field.defect_density", defectDensity, .leastNonzeroMagnitude, 1e6, "positive"),
            ("flat_field.defect_smoothing", defectSmoothing, 0, 1000, "≥ 0"),
            ("flat_field.defect_threshold", defectThreshold, 0, 100, "≥ 0"),
            ("flat_field.miscalibration", miscalibration, 0, 100, "≥ 0"),
            ("flat_field.electronic_noise", electronicNoise, 0, 1e6, "≥ 0"),
        ]
        for b in bounded where !(b.value >= b.minimum && b.value.isFinite) {
            throw ConfigError(key: b.key, "must be \(b.requirement) (got \(b.value))")
        }
        for b in bounded where b.value > b.maximum {
            throw ConfigError(key: b.key, "\(ConfigError.number(b.value)) is out of range: must be at most "
                              + "\(ConfigError.number(b.maximum))")
        }
    }
}
