import Core
import Foundation

/// The EPICS CSV that goes with a TIFF series: one row per frame, `frame_index,posx_m,posy_m,energy_eV,det_dist_m,
/// pixel_m,exposure_s` (units in the column names), in any row order. Rows are keyed by `frame_index`, checked
/// unique; the original kit ignored the index and paired rows with files by position in a lexicographic sort.
public struct EpicsTable: Sendable {
    /// The columns every table must have.
    public static let columns = ["frame_index", "posx_m", "posy_m", "energy_eV", "det_dist_m", "pixel_m", "exposure_s"]

    /// Per frame index, the row's values by column (every column but `frame_index`).
    public let rows: [Int: [String: Double]]

    /// Reads and checks the table at `path`.
    /// - Throws: ``ConfigError`` at `csv` naming the file, the line and the column or index at fault.
    public init(path: String) throws(ConfigError) {
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
        self.rows = rows
    }

    /// Up to ten numbers, then how many more.
    static func list(_ numbers: [Int]) -> String {
        let sorted = numbers.sorted()
        return sorted.prefix(10).map(String.init).joined(separator: ", ") + (sorted.count > 10 ? " and \(sorted.count - 10) more" : "")
    }
}
