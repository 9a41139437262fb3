import Core
import Foundation

/// A lab SAXS instrument: beam, sample, detector geometry and the q bins of the reduced curve.
///
/// Expected counts in pixel j are Φ·t·T·ε·d · (dΣ/dΩ_smeared(q_j) + background) · ΔΩ_j (docs/reference/saxs-physics.md §6.2), with
/// ΔΩ_j = p²·cos³(2θ_j)/L² for a flat detector normal to the beam. Pixels are binned by the q of their centres.
public struct Instrument: Codable, Sendable, Equatable {
    /// Short name written to the metadata (`instrument_cfg`).
    public var name: String
    /// Centres of the first and last q bin in Å⁻¹.
    public var qMin: Double
    public var qMax: Double
    /// Number of q bins.
    public var qPoints: Int
    /// `linear` or `log` spacing of the bin centres. Linear bins wider than a pixel ring are what a detector can
    /// resolve; log bins at low q are narrower than a pixel and come out empty.
    public var qSpacing: String
    /// X-ray wavelength in Å.
    public var wavelength: Double
    /// Beam FWHM in q (Å⁻¹): the Gaussian pinhole resolution, σ_q = FWHM/2.3548.
    public var fwhm: Double
    /// Photon flux on the sample in photons/s.
    public var flux: Double
    /// Exposure time in s.
    public var exposure: Double
    /// Sample transmission (0–1].
    public var transmission: Double
    /// Sample thickness in cm.
    public var thickness: Double
    /// Detector quantum efficiency (0–1].
    public var efficiency: Double
    /// Scattering of everything but the particles (solvent, capillary, air) in cm⁻¹: measured separately and
    /// subtracted, so it adds noise but no signal.
    public var background: Double
    /// Detector model; `eiger1m` (Dectris Eiger 1M: 1065 × 1030 pixels of 75 µm, two modules 37 rows apart).
    public var detector: String
    /// Sample–detector distance in m.
    public var distance: Double
    /// Beam position on the detector in pixels, [row, column] (pixel (r, c) spans [r, r + 1) × [c, c + 1)).
    public var beamCenter: [Double]
    /// Radius of the beamstop's shadow in mm.
    public var beamstopRadius: Double
    /// A Fit2D mask file (`.msk`) of the detector's size, masking more pixels; relative to the config file.
    public var mask: String?

    enum CodingKeys: String, CodingKey {
        case name, qMin = "q_min", qMax = "q_max", qPoints = "q_points", qSpacing = "q_spacing", wavelength, fwhm
        case flux, exposure, transmission, thickness, efficiency, background, detector, distance
        case beamCenter = "beam_center", beamstopRadius = "beamstop_radius", mask
    }

    public init(name: String, qMin: Double, qMax: Double, qPoints: Int, qSpacing: String = "linear",
                wavelength: Double = 1.5406, fwhm: Double, flux: Double, exposure: Double = 600,
                transmission: Double = 0.3, thickness: Double = 0.1, efficiency: Double = 1, background: Double = 0.05,
                detector: String = "eiger1m", distance: Double, beamCenter: [Double], beamstopRadius: Double,
                mask: String? = nil) {
        self.name = name
        self.qMin = qMin
        self.qMax = qMax
        self.qPoints = qPoints
        self.qSpacing = qSpacing
        self.wavelength = wavelength
        self.fwhm = fwhm
        self.flux = flux
        self.exposure = exposure
        self.transmission = transmission
        self.thickness = thickness
        self.efficiency = efficiency
        self.background = background
        self.detector = detector
        self.distance = distance
        self.beamCenter = beamCenter
        self.beamstopRadius = beamstopRadius
        self.mask = mask
    }

    /// Decodes an instrument: `name`, `q_min`, `q_max`, `q_points`, `fwhm`, `flux`, `distance`, `beam_center` and
    /// `beamstop_radius` are required, the rest default as in the memberwise initialiser.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), qMin: try c.decode(Double.self, forKey: .qMin),
                  qMax: try c.decode(Double.self, forKey: .qMax), qPoints: try c.decode(Int.self, forKey: .qPoints),
                  fwhm: try c.decode(Double.self, forKey: .fwhm), flux: try c.decode(Double.self, forKey: .flux),
                  distance: try c.decode(Double.self, forKey: .distance),
                  beamCenter: try c.decode([Double].self, forKey: .beamCenter),
                  beamstopRadius: try c.decode(Double.self, forKey: .beamstopRadius))
        qSpacing = try c.decodeIfPresent(String.self, forKey: .qSpacing) ?? qSpacing
        wavelength = try c.decodeIfPresent(Double.self, forKey: .wavelength) ?? wavelength
        exposure = try c.decodeIfPresent(Double.self, forKey: .exposure) ?? exposure
        transmission = try c.decodeIfPresent(Double.self, forKey: .transmission) ?? transmission
        thickness = try c.decodeIfPresent(Double.self, forKey: .thickness) ?? thickness
        efficiency = try c.decodeIfPresent(Double.self, forKey: .efficiency) ?? efficiency
        background = try c.decodeIfPresent(Double.self, forKey: .background) ?? background
        detector = try c.decodeIfPresent(String.self, forKey: .detector) ?? detector
        mask = try c.decodeIfPresent(String.self, forKey: .mask) ?? mask
    }

    /// Checks every value; `key` is this instrument's key path in the configuration. The detector coverage of the
    /// q bins is checked by ``DetectorResponse`` when it is built.
    public func validate(key: String) throws(ConfigError) {
        func fail(_ field: String, _ message: String) -> ConfigError { ConfigError(key: "\(key).\(field)", message) }
        func bound(_ field: String, _ value: Double, _ lower: Double, _ upper: Double, lowerOpen: Bool = true,
                   unit: String, why: String = "") throws(ConfigError) {
            try ConfigError.bound(value, key: "\(key).\(field)", lower, upper, lowerOpen: lowerOpen, unit: unit, why: why)
        }
        guard !name.isEmpty else { throw fail("name", "must not be empty") }
        guard let model = DetectorModel.named(detector) else {
            throw fail("detector", "unknown detector '\(detector)'; known: " + DetectorModel.all.map(\.name).joined(separator: ", "))
        }
        try bound("wavelength", wavelength, 0, Self.maxWavelength, unit: "Å", why: "X-rays")
        guard qMin > 0, qMin.isFinite else { throw fail("q_min", "must be a positive number of 1/Å (got \(qMin))") }
        guard qMax > qMin, qMax.isFinite else { throw fail("q_max", "must be greater than q_min = \(qMin) (got \(qMax))") }
        try ConfigError.bound(count: qPoints, key: "\(key).q_points", 2...model.rows * model.columns,
                              why: "every bin needs a pixel of the \(model.name)")
        guard ["log", "linear"].contains(qSpacing) else { throw fail("q_spacing", "must be log or linear (got \(qSpacing))") }
        guard qMax * wavelength / (4 * Double.pi) < 1 else {
            throw fail("q_max", "q_max = \(qMax) 1/Å is beyond 4π/λ for wavelength \(wavelength) Å")
        }
        if fwhm != 0 {
            try bound("fwhm", fwhm, Self.minFWHM, qMax, lowerOpen: false, unit: "1/Å (or 0 for no smearing)",
                      why: "a beam wider than q_max resolves nothing; a narrower one than 1e-6 is a point")
        }
        try bound("flux", flux, 0, Self.maxFlux, unit: "photons/s", why: "the brightest beams deliver about 1e14")
        try bound("exposure", exposure, 0, Self.maxExposure, unit: "s", why: "1e6 s is 11.6 days")
        try bound("transmission", transmission, 0, 1, unit: "")
        try bound("thickness", thickness, 0, Self.maxThickness, unit: "cm", why: "X-rays pass a few mm of sample")
        try bound("efficiency", efficiency, 0, 1, unit: "")
        try bound("background", background, 0, SAXSConfig.maxBackground, lowerOpen: false, unit: "1/cm",
                  why: "water scatters 0.016 1/cm")
        try bound("distance", distance, 0, Self.maxDistance, unit: "m", why: "the longest SAXS cameras are about 30 m")
        guard beamCenter.count == 2, beamCenter.allSatisfy({ $0.isFinite && abs($0) <= Self.maxBeamOffset }) else {
            throw fail("beam_center", "must be [row, column] in pixels, each finite and within ±\(Int(Self.maxBeamOffset)) "
                       + "(got \(beamCenter))")
        }
        try bound("beamstop_radius", beamstopRadius, 0, Self.maxBeamstop, lowerOpen: false, unit: "mm",
                  why: "a detector is a few hundred mm wide")
    }

    /// Bounds of the physical inputs (docs/configuration.md lists them all, with why).
    public static let maxWavelength = 100.0
    public static let minFWHM = 1e-6
    public static let maxFlux = 1e20
    public static let maxExposure = 1e6
    public static let maxThickness = 10.0
    public static let maxDistance = 1000.0
    public static let maxBeamOffset = 1e5
    public static let maxBeamstop = 1000.0

    /// Bin centres in Å⁻¹.
    public var q: [Double] {
        (0..<qPoints).map { i in
            let t = Double(i) / Double(qPoints - 1)
            return qSpacing == "log" ? qMin * pow(qMax / qMin, t) : qMin + (qMax - qMin) * t
        }
    }

    /// Bin edges: midpoints between centres (geometric for log spacing), extended symmetrically at both ends.
    public var qEdges: [Double] {
        let centres = q
        var edges = [Double](repeating: 0, count: qPoints + 1)
        for i in 1..<qPoints {
            edges[i] = qSpacing == "log" ? (centres[i - 1] * centres[i]).squareRoot() : (centres[i - 1] + centres[i]) / 2
        }
        edges[0] = qSpacing == "log" ? centres[0] * centres[0] / edges[1] : 2 * centres[0] - edges[1]
        edges[qPoints] = qSpacing == "log" ? centres[qPoints - 1] * centres[qPoints - 1] / edges[qPoints - 1]
            : 2 * centres[qPoints - 1] - edges[qPoints - 1]
        return edges
    }

    /// Φ·t·T·ε·d: counts per unit of dΣ/dΩ (cm⁻¹) per steradian.
    public var countsPerUnitIntensityAndSolidAngle: Double {
        flux * exposure * transmission * efficiency * thickness
    }

    /// σ_q in Å⁻¹.
    public var sigmaQ: Double { PinholeResolution.sigma(fwhm: fwhm) }

    /// The standard deviation of the q a bin's counts were scattered at (Å⁻¹): the beam's Gaussian σ_q and the
    /// bin width Δq (uniform, variance Δq²/12) added in quadrature, for exporters whose readers smear fits.
    public var qResolution: [Double] {
        let edges = qEdges
        return (0..<qPoints).map { i in
            let width = edges[i + 1] - edges[i]
            return (sigmaQ * sigmaQ + width * width / 12).squareRoot()
        }
    }
}

extension Instrument {
    /// Xenocs Xeuss 1800HR as configured by Monge et al. (Acta Cryst. A 80, 2024): q 0.0031–0.149 Å⁻¹, beam FWHM
    /// 0.0016 Å⁻¹, 3.43·10⁶ photons/s; Eiger 1M at 1.2 m, the beam 43 rows above the module gap.
    public static let xeuss = Instrument(name: "xeuss", qMin: 0.0031, qMax: 0.149, qPoints: 300, fwhm: 0.0016,
                                         flux: 3.43e6, distance: 1.2, beamCenter: [470.5, 515.5], beamstopRadius: 0.7)
    /// Xenocs NanoInXider HR (Monge et al. 2024): q 0.0019–0.445 Å⁻¹, FWHM 0.0024 Å⁻¹, 7.22·10⁶ photons/s. One
    /// Eiger 1M frame reaches this range with the beam near a corner at 0.97 m and a 0.3 mm beamstop.
    public static let nanoInXider = Instrument(name: "nanoinx", qMin: 0.0019, qMax: 0.445, qPoints: 400, fwhm: 0.0024,
                                               flux: 7.22e6, distance: 0.97, beamCenter: [20.5, 20.5],
                                               beamstopRadius: 0.3)
}
