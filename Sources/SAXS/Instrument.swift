import Foundation
import Batch

/// A lab SAXS instrument: q grid and the counting chain that sets the noise level.
///
/// Expected counts in a q bin are Φ·t·T·ε·d · dΣ/dΩ(q) · ΔΩ_bin, with ΔΩ_bin the solid angle of the full ring
/// between the bin's scattering-angle edges, 2π(cos 2θ₁ − cos 2θ₂). The ring is taken as fully covered by the
/// detector; detector masks, module gaps and 2-D frames are the detector simulation's business.
public struct Instrument: Codable, Sendable, Equatable {
    /// Short name written to the metadata (`instrument_cfg`).
    public var name: String
    /// Lowest and highest q in Å⁻¹ (bin centres).
    public var qMin: Double
    public var qMax: Double
    /// Number of q bins.
    public var qPoints: Int
    /// `log` or `linear` spacing of the bin centres.
    public var qSpacing: String
    /// X-ray wavelength in Å.
    public var wavelength: Double
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

    enum CodingKeys: String, CodingKey {
        case name, qMin = "q_min", qMax = "q_max", qPoints = "q_points", qSpacing = "q_spacing", wavelength, flux
        case exposure, transmission, thickness, efficiency
    }

    public init(name: String, qMin: Double, qMax: Double, qPoints: Int, qSpacing: String = "log",
                wavelength: Double = 1.5406, flux: Double, exposure: Double = 600, transmission: Double = 0.3,
                thickness: Double = 0.1, efficiency: Double = 1) {
        self.name = name
        self.qMin = qMin
        self.qMax = qMax
        self.qPoints = qPoints
        self.qSpacing = qSpacing
        self.wavelength = wavelength
        self.flux = flux
        self.exposure = exposure
        self.transmission = transmission
        self.thickness = thickness
        self.efficiency = efficiency
    }

    /// Decodes an instrument: `name`, `q_min`, `q_max`, `q_points` and `flux` are required, the rest default as in
    /// ``init(name:qMin:qMax:qPoints:qSpacing:wavelength:flux:exposure:transmission:thickness:efficiency:)``.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), qMin: try c.decode(Double.self, forKey: .qMin),
                  qMax: try c.decode(Double.self, forKey: .qMax), qPoints: try c.decode(Int.self, forKey: .qPoints),
                  flux: try c.decode(Double.self, forKey: .flux))
        qSpacing = try c.decodeIfPresent(String.self, forKey: .qSpacing) ?? qSpacing
        wavelength = try c.decodeIfPresent(Double.self, forKey: .wavelength) ?? wavelength
        exposure = try c.decodeIfPresent(Double.self, forKey: .exposure) ?? exposure
        transmission = try c.decodeIfPresent(Double.self, forKey: .transmission) ?? transmission
        thickness = try c.decodeIfPresent(Double.self, forKey: .thickness) ?? thickness
        efficiency = try c.decodeIfPresent(Double.self, forKey: .efficiency) ?? efficiency
    }

    /// Checks every value; `key` is this instrument's key path in the configuration.
    public func validate(key: String) throws(ConfigError) {
        func fail(_ field: String, _ message: String) -> ConfigError { ConfigError(key: "\(key).\(field)", message) }
        guard !name.isEmpty else { throw fail("name", "must not be empty") }
        guard qMin > 0, qMin.isFinite else { throw fail("q_min", "must be a positive number of 1/Å (got \(qMin))") }
        guard qMax > qMin, qMax.isFinite else { throw fail("q_max", "must be greater than q_min = \(qMin) (got \(qMax))") }
        guard qPoints >= 2 else { throw fail("q_points", "must be at least 2 (got \(qPoints))") }
        guard ["log", "linear"].contains(qSpacing) else { throw fail("q_spacing", "must be log or linear (got \(qSpacing))") }
        guard wavelength > 0 else { throw fail("wavelength", "must be positive Å (got \(wavelength))") }
        guard qMax * wavelength / (4 * Double.pi) < 1 else {
            throw fail("q_max", "q_max = \(qMax) 1/Å is beyond 4π/λ for wavelength \(wavelength) Å")
        }
        guard flux > 0 else { throw fail("flux", "must be positive photons/s (got \(flux))") }
        guard exposure > 0 else { throw fail("exposure", "must be positive seconds (got \(exposure))") }
        guard transmission > 0, transmission <= 1 else { throw fail("transmission", "must be in (0, 1] (got \(transmission))") }
        guard thickness > 0 else { throw fail("thickness", "must be positive cm (got \(thickness))") }
        guard efficiency > 0, efficiency <= 1 else { throw fail("efficiency", "must be in (0, 1] (got \(efficiency))") }
    }

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

    /// Solid angle in sr of the full ring of each q bin: 2π(cos 2θ_lo − cos 2θ_hi), with q = 4π sin θ / λ.
    public var binSolidAngles: [Double] {
        let edges = qEdges
        func cosTwoTheta(_ q: Double) -> Double {
            let s = min(1, q * wavelength / (4 * Double.pi))
            return 1 - 2 * s * s  // cos 2θ = 1 − 2 sin²θ
        }
        return (0..<qPoints).map { 2 * Double.pi * (cosTwoTheta(edges[$0]) - cosTwoTheta(edges[$0 + 1])) }
    }

    /// Counts per unit of dΣ/dΩ (cm⁻¹) in each bin: Φ·t·T·ε·d·ΔΩ_bin.
    public var countsPerUnitIntensity: [Double] {
        let chain = flux * exposure * transmission * efficiency * thickness
        return binSolidAngles.map { chain * $0 }
    }
}
