import Core
import Foundation
import POSIX

/// SAXSDog's `.chi` curve files, byte for byte (docs/reference/integration.md §9).
///
/// numpy `savetxt` with format `%.18e`, delimiter `' '`, newline `'\n '` and no comment prefix writes the header
/// lines joined by `\n`, then `\n `, then each row followed by `\n `: every row starts with one space and the
/// file ends with `"\n "`. SAXSDog's header lines are the calibration as JSON, the integral parameters
/// `{"I0": …, "I1": …, "I2": …}`, the column labels as a JSON list, and three spaces before the row count.
public enum ChiFile {
    /// Column labels of radial curves.
    public static let radialLabels = ["Scattering Vector  q [$nm^{-1}$]", "Intensity (Count/Pixel)", "Error Margin"]
    /// Column labels of phi-mode curves.
    public static let phiLabels = ["Phi Angle [rad]", "Intensity (Count/Pixel)", "Error Margin"]
    /// Column labels of GISAXS cuts against q_v (SAXSDog's spelling).
    public static let verticalCutLabels = ["vertical scattering Vector $q_{v} [nm^{-1}]$", "Intensity (Count/Pixel)",
                                           "Error Margin"]
    /// Column labels of GISAXS cuts against q_h (SAXSDog's spelling, two spaces after "vector").
    public static let inPlaneCutLabels = ["horizontal scattering vector  $ q_{h} [nm^{-1}]$", "Intensity (Count/Pixel)",
                                          "Error Margin"]

    /// The header SAXSDog writes: `calibrationJSON` (Python `json.dumps` text), the integral parameters, the labels.
    public static func header(calibrationJSON: String, integrals: (i0: Double, i1: Double, i2: Double),
                              labels: [String], rows: Int) -> [String] {
        let parameters = JSONValue.object([
            ("I0", .number(JSONValue.pythonFloatRepr(integrals.i0))),
            ("I1", .number(JSONValue.pythonFloatRepr(integrals.i1))),
            ("I2", .number(JSONValue.pythonFloatRepr(integrals.i2))),
        ])
        return [calibrationJSON, parameters.pythonDumps, JSONValue.array(labels.map { .string($0) }).pythonDumps,
                "   \(rows)"]
    }

    /// The header SAXSDog writes for a GISAXS cut: the calibration, the labels, `Intensity`, the row count (no
    /// integral parameters).
    public static func cutHeader(calibrationJSON: String, rows: Int, labels: [String]) -> [String] {
        [calibrationJSON, JSONValue.array(labels.map { .string($0) }).pythonDumps, "Intensity", "   \(rows)"]
    }

    /// The file's text for `header` lines and the columns (equal lengths).
    public static func text(header: [String], columns: [[Double]]) -> String {
        let rows = columns.first?.count ?? 0
        var out = header.joined(separator: "\n") + "\n "
        out.reserveCapacity(out.utf8.count + rows * columns.count * 26)
        var buffer = [CChar](repeating: 0, count: 64)
        for r in 0..<rows {
            for (c, column) in columns.enumerated() {
                if c > 0 { out += " " }
                out += scientific18(column[r], buffer: &buffer)
            }
            out += "\n "
        }
        return out
    }

    /// Writes the file atomically (a temporary name, then a rename).
    public static func write(header: [String], columns: [[Double]], to path: String) throws(FormatError) {
        let temporary = path + ".partial"
        do {
            try Data(text(header: header, columns: columns).utf8).write(to: URL(fileURLWithPath: temporary))
            do { try FileSystem.rename(temporary, to: path) } catch { throw FormatError(file: path, message: "\(error)") }
        } catch let error as FormatError {
            FileSystem.unlink(temporary)
            throw error
        } catch {
            FileSystem.unlink(temporary)
            throw FormatError(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// `%.18e` as numpy prints it (`nan`, `inf`, `-inf` without a sign on NaN).
    static func scientific18(_ value: Double, buffer: inout [CChar]) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return buffer.withUnsafeMutableBufferPointer { b in
            withVaList([value]) { _ = vsnprintf(b.baseAddress, b.count, "%.18e", $0) }
            return String(cString: b.baseAddress!)
        }
    }
}
