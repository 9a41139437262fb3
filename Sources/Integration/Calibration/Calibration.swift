import Foundation
import Formats

/// A detector calibration: geometry, wavelength, the integrations to run and their masks.
public struct Calibration: Sendable {
    public var title: String
    public var geometry: DetectorGeometry
    /// Å.
    public var wavelength: Double
    public var integrations: [IntegrationSettings]
    public var slices: [SliceSettings]
    public var polarization: Polarization?
    /// SAXSDog's GISAXS mode: only the slices are written, not the first integration.
    public var gisaxsMode: Bool
    /// The calibration file as loaded, for `.chi` headers (Python `json.dumps` of it); nil for PONI files.
    public var json: JSONValue?
    /// The file it came from.
    public var file: String
    /// Things worth saying that do not stop the run (a beam centre off the detector, unequal pixel sides).
    public var warnings: [String]

    /// q in nm⁻¹ from the full scattering angle 2θ: 4π sin(θ)/(λ·Å), where SAXSDog's Å is the Å* unit,
    /// 0.100001495 nm (a 1.5e-5 relative effect), and a PONI file's is 0.1 nm (its wavelength is in m).
    public func q(twoTheta: Double) -> Double {
        let angstrom = if case .fit2d = geometry { Self.angstromStar } else { 0.1 }
        return 4 * Double.pi * sin(twoTheta / 2) / (wavelength * angstrom)
    }

    /// SAXSDog's Ångström in nm (the Å* unit).
    public static let angstromStar = 0.100001495
}

extension Calibration {
    /// Loads a SAXSDog calibration (`.json`) or a pyFAI PONI file (`.poni`), by content.
    ///
    /// - Parameters:
    ///   - maskOverride: a mask file to use instead of the calibration's (required for PONI files to mask).
    ///   - oversampling: the oversampling of PONI calibrations (SAXSDog files carry their own).
    ///   - imageSize: `[rows, columns]` for PONI files without `max_shape` (taken from the first frame).
    /// - Throws: ``CalibrationError`` naming the file and the field at fault.
    public static func load(_ path: String, maskOverride: String? = nil, oversampling: Int = 1,
                            imageSize: (rows: Int, columns: Int)? = nil) throws -> Calibration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CalibrationError(path, "cannot read the calibration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CalibrationError(path, "not a UTF-8 text file")
        }
        if text.drop(while: { $0.isWhitespace }).first == "{" {
            var calibration = try fromSAXSDog(text, file: path)
            if let maskOverride {
                for i in calibration.integrations.indices { calibration.integrations[i].maskFile = maskOverride }
            }
            return calibration
        }
        return try fromPONI(text, file: path, mask: maskOverride, oversampling: oversampling, imageSize: imageSize)
    }
}
