import Core
import Foundation
import Formats

/// `beamforge convert` (SAXSDog's `saxsconverter`, docs/reference/live-integration.md §4.1): the geometry of a
/// Fit2D printout, a pyFAI PONI file or an older SAXSDog calibration put into a SAXSDog calibration JSON (an
/// existing one, updated, or the schema defaults), and SAXSDog calibrations written as PONI files.
public enum CalibrationConversion {
    /// What an input file is.
    public enum Source: String, CaseIterable, Sendable {
        case fit2d, poni, saxsdog
    }

    /// SAXSDog's schema defaults, the starting point when there is no calibration to update.
    public static let schemaDefaults = try! JSONValue(parsing: """
        {"Geometry": {"Tilt": {"TiltRotDeg": 0, "TiltAngleDeg": 0}, "BeamCenter": [900.0, 300.0],
         "DedectorDistanceMM": 1000.0, "PixelSizeMicroM": [172.0], "Imagesize": [1043, 981]},
         "Wavelength": 1.54, "Masks": [{"MaskFile": "AAA_integ.msk", "Oversampling": 3, "PixelPerRadialElement": 1,
         "qStart": 0, "qStop": 0}], "Directory": ["."]}
        """)

    /// The kind of `text`: a JSON object is a SAXSDog calibration, `Key: value` lines with Distance and Poni1 a
    /// PONI file, and a text with Fit2D "Refined"/"Best fit" lines a Fit2D printout; nil for anything else.
    public static func detect(_ text: String) -> Source? {
        if text.drop(while: \.isWhitespace).first == "{" { return .saxsdog }
        let keys = Set(text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        })
        if keys.contains("distance") && keys.contains("poni1") { return .poni }
        return Fit2DRefinement(text: text).isEmpty ? nil : .fit2d
    }

    /// `template` with the geometry of `text` (read as `source`, or as detected) put in; the warnings say what
    /// could not be carried over.
    /// - Throws: ``CalibrationError`` naming `file` when the text is none of the sources or lacks what is needed.
    public static func saxsdogJSON(from text: String, file: String, source: Source? = nil,
                                   template: JSONValue) throws -> (json: JSONValue, warnings: [String]) {
        guard let kind = source ?? detect(text) else {
            throw CalibrationError(file, "not a calibration beamforge can convert: no Fit2D \"Refined\" or "
                                   + "\"Best fit\" line, no PONI keys (Distance, Poni1), no SAXSDog JSON")
        }
        var json = template
        var warnings: [String] = []
        switch kind {
        case .fit2d:
            let fit = Fit2DRefinement(text: text)
            guard !fit.isEmpty else {
                throw CalibrationError(file, "no Fit2D \"Refined\" or \"Best fit\" geometry line")
            }
            if let x = fit.centerX, let y = fit.centerY { set(["Geometry", "BeamCenter"], .array([number(y), number(x)]), in: &json) }
            if let d = fit.distanceMM { set(["Geometry", distanceKey(json)], number(d), in: &json) }
            if let t = fit.tiltDeg { set(["Geometry", "Tilt", "TiltAngleDeg"], number(t), in: &json) }
            if let r = fit.tiltRotationDeg { set(["Geometry", "Tilt", "TiltRotDeg"], number(r), in: &json) }
            if let w = fit.wavelength { set(["Wavelength"], number(w), in: &json) }
        case .poni:
            let size = json["Geometry"]?["Imagesize"]
            let imageSize = (size?[0]?.double, size?[1]?.double)
            let calibration = try Calibration.fromPONI(text, file: file, mask: nil, oversampling: 1, imageSize:
                imageSize.0.flatMap { r in imageSize.1.map { (Int(r), Int($0)) } })
            guard case .poni(let poni) = calibration.geometry else { preconditionFailure("fromPONI gives a PONI") }
            let g = Fit2DGeometry(poni: poni)
            if abs(poni.pixel1 - poni.pixel2) > 1e-12 * poni.pixel1 {
                warnings.append("\(file): pixels of \(poni.pixel1) × \(poni.pixel2) m; SAXSDog's are square, "
                                + "\(poni.pixel1) m is used")
            }
            let implied = poni.fit2dRot3
            if abs(poni.rot3 - implied) > 1e-9 {
                warnings.append("\(file): Rot3 \(poni.rot3) rad is not Fit2D's \(implied) rad for this tilt; "
                                + "SAXSDog's geometry cannot hold the difference")
            }
            set(["Geometry", "BeamCenter"], .array([number(g.beamCenterY), number(g.beamCenterX)]), in: &json)
            set(["Geometry", distanceKey(json)], number(g.distanceMM), in: &json)
            set(["Geometry", "Tilt", "TiltAngleDeg"], number(g.tiltDeg), in: &json)
            set(["Geometry", "Tilt", "TiltRotDeg"], number(g.tiltRotationDeg), in: &json)
            set(["Geometry", "PixelSizeMicroM"], .array([number(g.pixelMM * 1e3)]), in: &json)
            set(["Geometry", "Imagesize"], .array([.number(String(g.rows)), .number(String(g.columns))]), in: &json)
            set(["Wavelength"], number(calibration.wavelength), in: &json)
        case .saxsdog:
            let old = try JSONValue(parsing: text, file: file)
            guard case .object = old else { throw CalibrationError(file, "a SAXSDog calibration is a JSON object") }
            // SAXSDog's converter copies these (and deletes a key whose value is falsy; only null deletes here).
            for key in ["Tilt", "Imagesize", "DedectorDistanceMM", "DetectorDistanceMM", "BeamCenter", "PixelSizeMicroM"] {
                if let value = old["Geometry"]?[key] { set(["Geometry", key], value, in: &json) }
            }
            for key in ["PolarizationCorrection", "Wavelength", "Title"] {
                if let value = old[key] { set([key], value, in: &json) }
            }
            for key in ["MaskFile", "PixelPerRadialElement", "qStart", "qStop", "Oversampling"] {
                if let value = old["Masks"]?[0]?[key] { set(["Masks", "0", key], value, in: &json) }
            }
        }
        return (json, warnings)
    }

    /// A pyFAI PONI file (version 2) of a calibration's geometry, numbers in Python's `repr` (they read back
    /// exactly).
    public static func poniText(_ calibration: Calibration) -> String {
        let poni: PONIGeometry = switch calibration.geometry {
        case .fit2d(let g): PONIGeometry(fit2d: g)
        case .poni(let p): p
        }
        func f(_ x: Double) -> String { JSONValue.pythonFloatRepr(x) }
        return """
            # Nota: C-Order, 1 refers to the Y axis, 2 to the X axis
            # Converted by beamforge convert from \((calibration.file as NSString).lastPathComponent)
            poni_version: 2
            Detector: Detector
            Detector_config: {"pixel1": \(f(poni.pixel1)), "pixel2": \(f(poni.pixel2)), "max_shape": [\(poni.rows), \(poni.columns)]}
            Distance: \(f(poni.distance))
            Poni1: \(f(poni.poni1))
            Poni2: \(f(poni.poni2))
            Rot1: \(f(poni.rot1))
            Rot2: \(f(poni.rot2))
            Rot3: \(f(poni.rot3))
            Wavelength: \(f(calibration.wavelength * 1e-10))

            """
    }

    /// The template's spelling of the distance key (SAXSDog's schema has the misspelt one).
    private static func distanceKey(_ json: JSONValue) -> String {
        json["Geometry"]?["DetectorDistanceMM"] != nil ? "DetectorDistanceMM" : "DedectorDistanceMM"
    }

    /// A float as Python writes it (`1031.657`, `1000.0`).
    private static func number(_ x: Double) -> JSONValue { .number(JSONValue.pythonFloatRepr(x)) }

    /// Sets the member at `path` (object keys, or array indices given as digits), creating missing objects; a
    /// member that exists keeps its place, a new one goes last.
    static func set(_ path: [String], _ value: JSONValue, in json: inout JSONValue) {
        guard let key = path.first else { json = value; return }
        switch json {
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else { return }
            set(Array(path.dropFirst()), value, in: &elements[index])
            json = .array(elements)
        case .object(var members):
            if let i = members.firstIndex(where: { $0.key == key }) {
                set(Array(path.dropFirst()), value, in: &members[i].value)
            } else {
                var member = JSONValue.object([])
                set(Array(path.dropFirst()), value, in: &member)
                members.append((key, member))
            }
            json = .object(members)
        default:
            json = .object([])
            set(path, value, in: &json)
        }
    }
}
