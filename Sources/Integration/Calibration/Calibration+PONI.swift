import Core
import Foundation
import Formats

/// pyFAI's PONI calibrations.
extension Calibration {
    /// Parses a pyFAI PONI file (versions 1 and 2: `Distance`, `Poni1`, `Poni2`, `Rot1`–`Rot3` in m and rad,
    /// `Wavelength` in m, pixel sizes from `Detector_config` or `PixelSize1/2`).
    public static func fromPONI(_ text: String, file: String, mask: String?, oversampling: Int,
                                imageSize: (rows: Int, columns: Int)?) throws -> Calibration {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw CalibrationError(file, "not a SAXSDog JSON calibration nor a PONI file (line '\(trimmed)')")
            }
            values[String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces).lowercased()] =
                String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        func number(_ key: String) throws -> Double {
            guard let text = values[key.lowercased()] else { throw CalibrationError(file, "\(key): is required") }
            guard let value = Double(text), value.isFinite else {
                throw CalibrationError(file, "\(key): must be a number (got '\(text)')")
            }
            return value
        }
        var pixel1 = 0.0, pixel2 = 0.0
        var shape = imageSize.map { [$0.rows, $0.columns] }
        if let config = values["detector_config"] {
            let json: JSONValue
            do { json = try JSONValue(parsing: config, file: file) } catch {
                throw CalibrationError(file, "Detector_config: \(error.message)")
            }
            guard let p1 = json["pixel1"]?.double, let p2 = json["pixel2"]?.double else {
                throw CalibrationError(file, "Detector_config: pixel1 and pixel2 are required")
            }
            (pixel1, pixel2) = (p1, p2)
            if case .array(let dims)? = json["max_shape"], dims.count == 2,
               let r = dims[0].double, let c = dims[1].double {
                let side = 1...Double(maxImageSide)
                guard side.contains(r), side.contains(c), r == r.rounded(), c == c.rounded() else {
                    throw CalibrationError(file, "Detector_config.max_shape [\(ConfigError.number(r)), "
                                           + "\(ConfigError.number(c))]: each side must be a whole number from 1 to "
                                           + "\(maxImageSide) pixels (the largest detectors have about 4000)")
                }
                shape = [Int(r), Int(c)]
            }
            if let orientation = json["orientation"]?.double, orientation != 3 {
                throw CalibrationError(file, "Detector_config.orientation \(ConfigError.number(orientation)) is not "
                                       + "supported (only pyFAI's default orientation 3)")
            }
        } else if values["pixelsize1"] != nil {
            pixel1 = try number("PixelSize1")
            pixel2 = try number("PixelSize2")
        } else {
            throw CalibrationError(file, "give the pixel sizes (Detector_config or PixelSize1/PixelSize2)")
        }
        guard pixel1 > 0, pixel2 > 0 else { throw CalibrationError(file, "pixel sizes must be positive") }
        guard let size = shape, size.allSatisfy({ $0 > 0 }) else {
            throw CalibrationError(file, "the image size is unknown (no Detector_config.max_shape and no frame)")
        }
        let wavelength = try number("Wavelength") * 1e10
        guard wavelength > 0 else { throw CalibrationError(file, "Wavelength: must be positive (got 0)") }
        let distance = try number("Distance")
        guard distance > 0 else { throw CalibrationError(file, "Distance: must be positive") }
        for (value, key, lower, upper, unit) in [(pixel1, "pixel1", 1e-6, 1e-2, "m"), (pixel2, "pixel2", 1e-6, 1e-2, "m"),
                                                 (wavelength, "Wavelength", 0, 100, "Å"), (distance, "Distance", 0, 1000, "m")] {
            do { try ConfigError.bound(value, key: key, lower, upper, lowerOpen: true, unit: unit) } catch {
                throw CalibrationError(file, error.description)
            }
        }
        guard (1...16).contains(oversampling) else {
            throw CalibrationError(file, "oversampling must be from 1 to 16 (got \(oversampling))")
        }
        let poni = PONIGeometry(rows: size[0], columns: size[1], distance: distance, poni1: try number("Poni1"),
                                poni2: try number("Poni2"), rot1: try number("Rot1"), rot2: try number("Rot2"),
                                rot3: try number("Rot3"), pixel1: pixel1, pixel2: pixel2)
        var warnings: [String] = []
        let center = ScatteringGeometry(.poni(poni)).beamCenterPixels
        if !(0...Double(size[0])).contains(center.row) || !(0...Double(size[1])).contains(center.column) {
            warnings.append("\(file): the beam centre (row \(center.row), column \(center.column)) is outside the "
                            + "\(size[0]) × \(size[1]) detector")
        }
        let settings = IntegrationSettings(maskFile: mask, oversampling: oversampling, pixelsPerRadialElement: 1,
                                           name: "", phiMode: false, qStart: 0, qStop: .infinity)
        return Calibration(title: (file as NSString).lastPathComponent, geometry: .poni(poni), wavelength: wavelength,
                           integrations: [settings], slices: [], polarization: nil, gisaxsMode: false, json: nil,
                           file: file, warnings: warnings)
    }
}
