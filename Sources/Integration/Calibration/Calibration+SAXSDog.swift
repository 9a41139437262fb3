import Foundation
import Formats
import Core

/// SAXSDog's JSON calibrations (SAXS_py3 `schema.json`; docs/reference/integration.md §2).
extension Calibration {
    static let topLevelKeys = ["Title", "Geometry", "Masks", "Slices", "Wavelength", "PolarizationCorrection",
                               "Directory", "Threads", "GISAXSmode", "Live-Filelisting", "OverwriteFiles"]

    /// Parses and validates SAXSDog's calibration schema (SAXS_py3 `schema.json`; docs/reference/integration.md §2).
    public static func fromSAXSDog(_ text: String, file: String) throws -> Calibration {
        let root: JSONValue
        do { root = try JSONValue(parsing: text, file: file) } catch { throw CalibrationError(file, error.message) }
        var fields = Fields(file: file)
        guard case .object(let members) = root else { throw fields.error("", "must be a JSON object") }
        if let unknown = members.first(where: { !topLevelKeys.contains($0.key) }) {
            throw fields.error(unknown.key, "unknown key (SAXSDog's schema allows \(topLevelKeys.joined(separator: ", ")))")
        }
        let title = try fields.string(root, "Title", default: "")
        let geometry = try fields.object(root, "Geometry")
        let tilt = try fields.object(geometry, "Geometry.Tilt")
        let tiltAngle = try fields.number(tilt, "Geometry.Tilt.TiltAngleDeg")
        let tiltRotation = try fields.number(tilt, "Geometry.Tilt.TiltRotDeg")
        let center = try fields.numbers(geometry, "Geometry.BeamCenter", count: 2...2)
        // SAXSDog's schema spells it DedectorDistanceMM; accept the correct spelling too.
        let distanceKey = geometry["DedectorDistanceMM"] != nil || geometry["DetectorDistanceMM"] == nil
            ? "Geometry.DedectorDistanceMM" : "Geometry.DetectorDistanceMM"
        let distance = try fields.number(geometry, distanceKey)
        let pixel = try fields.numbers(geometry, "Geometry.PixelSizeMicroM", count: 1...2)
        let size = try fields.integers(geometry, "Geometry.Imagesize", count: 2...2)
        let wavelength = try fields.number(root, "Wavelength")

        guard distance > 0 else { throw fields.error(distanceKey, "must be positive (got \(distance))") }
        guard pixel.allSatisfy({ $0 > 0 }) else { throw fields.error("Geometry.PixelSizeMicroM", "must be positive") }
        guard size.allSatisfy({ $0 > 0 }) else { throw fields.error("Geometry.Imagesize", "must be positive") }
        guard wavelength > 0 else { throw fields.error("Wavelength", "must be positive in Å (got \(wavelength))") }
        guard abs(tiltAngle) < 90 else { throw fields.error("Geometry.Tilt.TiltAngleDeg", "must be within ±90°") }
        try checkLimits(fields, distanceKey: distanceKey, distance: distance, pixel: pixel, size: size,
                        wavelength: wavelength, center: center, tilt: [tiltAngle, tiltRotation])
        if pixel.count == 2, pixel[0] != pixel[1] {
            fields.warnings.append("\(file): Geometry.PixelSizeMicroM \(pixel): SAXSDog uses only the first size")
        }
        let fit2d = Fit2DGeometry(rows: size[0], columns: size[1], beamCenterY: center[0], beamCenterX: center[1],
                                  distanceMM: distance, pixelMM: pixel[0] * 1e-3, tiltDeg: tiltAngle,
                                  tiltRotationDeg: tiltRotation)
        let rowFromTop = Double(size[0]) - center[0]
        if !(0...Double(size[0])).contains(rowFromTop) || !(0...Double(size[1])).contains(center[1]) {
            fields.warnings.append("\(file): the beam centre \(center) is outside the \(size[0]) × \(size[1]) detector")
        }

        guard case .array(let maskList)? = root["Masks"] else {
            throw fields.error("Masks", root["Masks"] == nil ? "is required" : "must be a list")
        }
        guard !maskList.isEmpty else { throw fields.error("Masks", "must hold at least one mask") }
        let directory = PathName.parent(file)
        var integrations: [IntegrationSettings] = []
        for (i, entry) in maskList.enumerated() {
            let key = "Masks[\(i)]"
            guard case .object = entry else { throw fields.error(key, "must be an object") }
            let maskFile = try fields.string(entry, key + ".MaskFile")
            let oversampling = try fields.number(entry, key + ".Oversampling", default: 3)
            guard oversampling >= 1, oversampling == oversampling.rounded(), oversampling <= 16 else {
                throw fields.error(key + ".Oversampling", "must be a whole number from 1 to 16 (got \(oversampling))")
            }
            let perElement = try fields.number(entry, key + ".PixelPerRadialElement", default: 1)
            guard perElement > 0 else { throw fields.error(key + ".PixelPerRadialElement", "must be positive") }
            try fields.bound(perElement, key + ".PixelPerRadialElement", 0.01, Double(max(size[0], size[1])),
                             lowerOpen: false, unit: "pixels",
                             why: "narrower bins hold no pixel; a wider one holds the whole detector")
            let qStart = try fields.number(entry, key + ".qStart", default: 0)
            let qStop = try fields.number(entry, key + ".qStop", default: .infinity)
            try fields.bound(qStart, key + ".qStart", 0, 1e6, lowerOpen: false, unit: "1/nm")
            let phiMode = try fields.bool(entry, key + ".Phi-mode", default: false)
            // qStart == qStop is SAXSDog's schema default (and its converter's output): an empty range whose
            // integral parameters are 0, as SAXSDog gives them. Phi-mode needs a band, so it stays refused there.
            if qStop == qStart && !phiMode {
                fields.warnings.append("\(file): \(key).qStart = qStop = \(qStart): the integral parameters I0, I1, I2 "
                                       + "are 0 (give a q range to compute them)")
            } else if !(qStop > qStart) {
                throw fields.error(key + ".qStop", "must exceed qStart" + (phiMode ? " (Phi-mode integrates that band)" : ""))
            }
            integrations.append(IntegrationSettings(
                maskFile: resolveMask(maskFile, directory: directory), oversampling: Int(oversampling),
                pixelsPerRadialElement: perElement, name: try fields.string(entry, key + ".Name", default: ""),
                phiMode: phiMode, qStart: qStart, qStop: qStop))
        }

        var slices: [SliceSettings] = []
        if let sliceList = root["Slices"] {
            guard case .array(let list) = sliceList else { throw fields.error("Slices", "must be a list") }
            for (i, entry) in list.enumerated() {
                let key = "Slices[\(i)]"
                guard case .object = entry else { throw fields.error(key, "must be an object") }
                let directionText = try fields.string(entry, key + ".Direction")
                guard let direction = SliceSettings.Direction(rawValue: directionText) else {
                    throw fields.error(key + ".Direction", "must be \"x\" or \"y\" (got \"\(directionText)\")")
                }
                let planeText = try fields.string(entry, key + ".Plane")
                guard let plane = SliceSettings.Plane(rawValue: planeText) else {
                    throw fields.error(key + ".Plane", "must be \"InPlane\" or \"Vertical\" (got \"\(planeText)\")")
                }
                let margin = try fields.integer(entry, key + ".CutMargin", default: 1)
                guard margin >= 0 else { throw fields.error(key + ".CutMargin", "must not be negative") }
                guard margin <= max(size[0], size[1]) else {
                    throw fields.error(key + ".CutMargin", "\(margin) pixels is wider than the detector")
                }
                let incidentAngle = try fields.number(entry, key + ".IncidentAngle", default: 0)
                try fields.bound(incidentAngle, key + ".IncidentAngle", -90, 90, lowerOpen: false, unit: "°",
                                 why: "a grazing angle")
                let maskRef = try fields.integer(entry, key + ".MaskRef", default: -1)
                guard maskRef >= -1, maskRef < integrations.count else {
                    throw fields.error(key + ".MaskRef", "must be -1 (no mask) or an index into Masks (got \(maskRef))")
                }
                // Rows count from the bottom (Direction x), columns from the left (y), both from 1.
                let position = try fields.integer(entry, key + ".CutPosition")
                let extent = direction == .x ? size[0] : size[1]
                guard (1...extent).contains(position) else {
                    throw fields.error(key + ".CutPosition", "must be a \(direction == .x ? "row" : "column") from 1 "
                                       + "to \(extent) (got \(position))")
                }
                slices.append(SliceSettings(direction: direction, plane: plane, cutPosition: position,
                                            cutMargin: margin,
                                            incidentAngleDeg: incidentAngle,
                                            maskIndex: maskRef < 0 ? nil : maskRef))
            }
        }

        var polarization: Polarization?
        if let entry = root["PolarizationCorrection"] {
            guard case .object = entry else { throw fields.error("PolarizationCorrection", "must be an object") }
            let fraction = try fields.number(entry, "PolarizationCorrection.Fraction", default: 0.95)
            guard (0...1).contains(fraction) else {
                throw fields.error("PolarizationCorrection.Fraction", "must be between 0 and 1 (got \(fraction))")
            }
            let angle = try fields.number(entry, "PolarizationCorrection.Angle", default: 0)
            try fields.bound(angle, "PolarizationCorrection.Angle", -360, 360, lowerOpen: false, unit: "°")
            polarization = Polarization(fraction: fraction, angleDeg: angle)
        }
        let gisaxs = try fields.bool(root, "GISAXSmode", default: false)
        if gisaxs && slices.isEmpty { throw fields.error("GISAXSmode", "is true but Slices is empty") }
        for key in ["Live-Filelisting", "OverwriteFiles"] { _ = try fields.bool(root, key, default: false) }
        _ = try fields.number(root, "Threads", default: 1)

        return Calibration(title: title, geometry: .fit2d(fit2d), wavelength: wavelength, integrations: integrations,
                           slices: slices, polarization: polarization, gisaxsMode: gisaxs, json: root, file: file,
                           warnings: fields.warnings)
    }

    /// A mask path as written in the calibration, relative to the calibration's folder; SAXSDog's own examples
    /// name it relative to another folder (`data/AAA_integ.msk`), so a missing path falls back to the file name
    /// beside the calibration. A missing file is reported when the mask is loaded.
    static func resolveMask(_ path: String, directory: String) -> String? {
        if path.isEmpty { return nil }
        if path.hasPrefix("/") { return path }
        let direct = directory.isEmpty ? path : directory + "/" + path
        if FileManager.default.fileExists(atPath: direct) { return direct }
        let beside = (directory.isEmpty ? "" : directory + "/") + (path as NSString).lastPathComponent
        return FileManager.default.fileExists(atPath: beside) ? beside : direct
    }

    /// Typed access to the calibration's fields with messages that name them.
    struct Fields {
        let file: String
        var warnings: [String] = []

        init(file: String) { self.file = file }

        func error(_ key: String, _ message: String) -> CalibrationError {
            CalibrationError(file, key.isEmpty ? message : "\(key): \(message)")
        }

        /// Throws unless `value` is finite and in range (``ConfigError/bound(_:key:_:_:lowerOpen:unit:why:)``).
        func bound(_ value: Double, _ key: String, _ lower: Double, _ upper: Double, lowerOpen: Bool = true,
                   unit: String = "", why: String = "") throws(CalibrationError) {
            do { try ConfigError.bound(value, key: key, lower, upper, lowerOpen: lowerOpen, unit: unit, why: why) } catch {
                throw CalibrationError(file, error.description)
            }
        }

        private func member(_ object: JSONValue, _ key: String) -> JSONValue? {
            object[String(key.split(separator: ".").last ?? "")]
        }

        func object(_ parent: JSONValue, _ key: String) throws -> JSONValue {
            guard let value = member(parent, key) else { throw error(key, "is required") }
            guard case .object = value else { throw error(key, "must be an object, not a \(value.typeName)") }
            return value
        }

        func number(_ parent: JSONValue, _ key: String, default fallback: Double? = nil) throws -> Double {
            guard let value = member(parent, key) else {
                if let fallback { return fallback }
                throw error(key, "is required")
            }
            guard let number = value.double, number.isFinite else {
                throw error(key, "must be a number, not a \(value.typeName)")
            }
            return number
        }

        func integer(_ parent: JSONValue, _ key: String, default fallback: Int? = nil) throws -> Int {
            guard let value = member(parent, key) else {
                if let fallback { return fallback }
                throw error(key, "is required")
            }
            guard let number = value.double, number == number.rounded(), abs(number) < 1e9 else {
                throw error(key, "must be an integer, not \(value.pythonDumps)")
            }
            return Int(number)
        }

        func string(_ parent: JSONValue, _ key: String, default fallback: String? = nil) throws -> String {
            guard let value = member(parent, key) else {
                if let fallback { return fallback }
                throw error(key, "is required")
            }
            guard case .string(let text) = value else { throw error(key, "must be a string, not a \(value.typeName)") }
            return text
        }

        func bool(_ parent: JSONValue, _ key: String, default fallback: Bool) throws -> Bool {
            guard let value = member(parent, key) else { return fallback }
            guard case .bool(let flag) = value else { throw error(key, "must be true or false, not a \(value.typeName)") }
            return flag
        }

        func numbers(_ parent: JSONValue, _ key: String, count: ClosedRange<Int>) throws -> [Double] {
            guard let value = member(parent, key) else { throw error(key, "is required") }
            guard case .array(let elements) = value, count.contains(elements.count) else {
                let n = count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) or \(count.upperBound)"
                throw error(key, "must be a list of \(n) numbers")
            }
            return try elements.enumerated().map { i, element in
                guard let number = element.double, number.isFinite else {
                    throw error("\(key)[\(i)]", "must be a number, not a \(element.typeName)")
                }
                return number
            }
        }

        func integers(_ parent: JSONValue, _ key: String, count: ClosedRange<Int>) throws -> [Int] {
            try numbers(parent, key, count: count).enumerated().map { i, number in
                guard number == number.rounded(), abs(number) < 1e9 else {
                    throw error("\(key)[\(i)]", "must be an integer (got \(number))")
                }
                return Int(number)
            }
        }
    }
}
