import Foundation

/// pyFAI's per-pixel corrections for PONI calibrations (`integrate1d`'s `correctSolidAngle`, `polarization_factor`,
/// `dark` and `flat`). SAXSDog calibrations keep SAXSDog's behaviour: none of them (their own
/// `PolarizationCorrection` aside).
public struct PyFAICorrections: Sendable, Equatable {
    /// Divide by the solid angle cos³α (α: the incidence angle from the PONI); nil: the calibration's default,
    /// on for PONI (pyFAI's default) and off for SAXSDog.
    public var solidAngle: Bool?
    /// pyFAI's polarization factor f in [−1, 1] (0 unpolarized, 1 horizontal); nil: no polarization correction.
    public var polarizationFactor: Double?
    /// A dark frame (TIFF; the pages of a stack averaged), subtracted from each frame.
    public var dark: String?
    /// A flat-field frame (TIFF; the pages of a stack averaged), dividing each frame.
    public var flat: String?

    public init() {}

    /// Whether the solid-angle correction applies to a calibration of this kind (`poni`: a PONI file).
    public func solidAngle(poni: Bool) -> Bool { solidAngle ?? poni }

    /// The corrections as recorded in the output (`sasprocess/description`, `/runs`), defaults resolved.
    public func summary(poni: Bool) -> String {
        "solid angle \(solidAngle(poni: poni) ? "on" : "off")\(solidAngle == nil ? " (default)" : ""), "
            + "polarization factor \(polarizationFactor.map { "\($0)" } ?? "none"), "
            + "dark \(dark ?? "none"), flat \(flat ?? "none")"
    }
}
