import Core
import Formats
import Foundation

/// The EPICS CSV that goes with a TIFF series: one row per frame, `frame_index,posx_m,posy_m,energy_eV,det_dist_m,
/// pixel_m,exposure_s` (units in the column names), in any row order. Rows are keyed by `frame_index`, checked
/// unique; the original kit ignored the index and paired rows with files by position in a lexicographic sort.
public struct EpicsTable: Sendable {
    /// The columns every table must have.
    public static let columns = ["frame_index", "posx_m", "posy_m", "energy_eV", "det_dist_m", "pixel_m", "exposure_s"]

    /// Per frame index, the row's values by column (every column but `frame_index`).
    public let rows: [Int: [String: Double]]

    /// Reads and checks the table at `path`: CSV text, or an HDF5 "sidecar" (`.h5`, `.hdf5`, `.nxs`) holding the
    /// same columns as 1-D datasets of one length at the file's root.
    /// - Throws: ``ConfigError`` at `csv` naming the file, the line and the column or index at fault.
    public init(path: String) throws(ConfigError) {
        if ["h5", "hdf5", "nxs"].contains((path as NSString).pathExtension.lowercased()) {
            try self.init(sidecar: path)
            return
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(key: "csv", "cannot read \(path)")
        }
        let table: [[String]]
        do { table = try CSV.parse(text).filter { !($0.count == 1 && $0[0].isEmpty) } } catch {
            throw ConfigError(key: "csv", "\(path): \(error)")
        }
        // Spreadsheets may start the file with a byte-order mark.
        guard let header = table.first?.map({ $0.trimmingCharacters(in: .whitespaces.union(["\u{FEFF}"])) }) else {
            throw ConfigError(key: "csv", "\(path) is empty")
        }
        let missing = Self.columns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw ConfigError(key: "csv", "\(path) lacks the column(s) \(missing.joined(separator: ", ")); "
                              + "it has \(header.joined(separator: ", "))")
        }
        var rows: [Int: [String: Double]] = [:]
        var duplicates: [Int] = []
        for (line, fields) in table.dropFirst().enumerated() {
            guard fields.count == header.count else {
                throw ConfigError(key: "csv", "\(path) line \(line + 2): \(fields.count) fields for \(header.count) columns")
            }
            var row: [String: Double] = [:]
            var index: Int?
            for (name, field) in zip(header, fields) where Self.columns.contains(name) {
                let text = field.trimmingCharacters(in: .whitespaces)
                if name == "frame_index" {
                    guard let i = Int(text), i >= 0 else {
                        throw ConfigError(key: "csv", "\(path) line \(line + 2): frame_index '\(text)' is not a frame number")
                    }
                    index = i
                } else {
                    guard let x = Double(text), x.isFinite else {
                        throw ConfigError(key: "csv", "\(path) line \(line + 2): \(name) '\(text)' is not a number")
                    }
                    row[name] = x
                }
            }
            guard let index else { continue }
            if rows[index] != nil { duplicates.append(index) }
            rows[index] = row
        }
        guard duplicates.isEmpty else {
            throw ConfigError(key: "csv", "\(path): frame_index \(Self.list(duplicates)) appears more than once")
        }
        guard !rows.isEmpty else { throw ConfigError(key: "csv", "\(path) has no rows") }
        self.init(rows: rows)
    }

    /// A table of these rows.
    init(rows: [Int: [String: Double]]) { self.rows = rows }

    /// The table of an HDF5 sidecar: `/frame_index`, `/posx_m`, … as 1-D datasets of one length.
    init(sidecar path: String) throws(ConfigError) {
        var columns: [String: [Double]] = [:]
        for name in Self.columns {
            let v: StoredValues
            do { v = try StoredValues(dataset: "/" + name, in: path) } catch { throw ConfigError(key: "csv", "\(error)") }
            guard v.shape.count == 1 else {
                throw ConfigError(key: "csv", "\(path): /\(name) has shape \(v.shape); one value per frame expected")
            }
            if let bad = v.values.firstIndex(where: { !$0.isFinite }) {
                throw ConfigError(key: "csv", "\(path): /\(name)[\(bad)] is not a finite number")
            }
            columns[name] = v.values
        }
        let n = columns["frame_index"]!.count
        if let (name, _) = columns.first(where: { $0.value.count != n }) {
            throw ConfigError(key: "csv", "\(path): /\(name) holds \(columns[name]!.count) values, /frame_index \(n)")
        }
        var rows: [Int: [String: Double]] = [:], duplicates: [Int] = []
        for k in 0..<n {
            let f = columns["frame_index"]![k]
            guard f >= 0, f == f.rounded(), f < 1e15 else {
                throw ConfigError(key: "csv", "\(path): /frame_index[\(k)] = \(f) is not a frame number")
            }
            if rows[Int(f)] != nil { duplicates.append(Int(f)) }
            rows[Int(f)] = Dictionary(uniqueKeysWithValues: Self.columns.dropFirst().map { ($0, columns[$0]![k]) })
        }
        guard duplicates.isEmpty else {
            throw ConfigError(key: "csv", "\(path): frame_index \(Self.list(duplicates)) appears more than once")
        }
        guard !rows.isEmpty else { throw ConfigError(key: "csv", "\(path) has no rows") }
        self.init(rows: rows)
    }

    /// Up to ten numbers, then how many more.
    static func list(_ numbers: [Int]) -> String {
        let sorted = numbers.sorted()
        return sorted.prefix(10).map(String.init).joined(separator: ", ") + (sorted.count > 10 ? " and \(sorted.count - 10) more" : "")
    }
}
