import Core
import Foundation

/// A job's `meta.csv` by column name (one row per item, in item order).
public struct MetadataTable: Sendable {
    public let path: String
    public let header: [String]
    let rows: [[String]]

    /// Reads and parses `path`.
    /// - Throws: ``ReportError`` naming the file when it is missing or not CSV.
    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else { throw ReportError("\(path): cannot read the file") }
        let parsed: [[String]]
        do { parsed = try CSV.parse(String(decoding: data, as: UTF8.self)) } catch {
            throw ReportError("\(path): \(error)")
        }
        guard let header = parsed.first else { throw ReportError("\(path): empty file") }
        self.header = header
        rows = parsed.dropFirst().filter { $0.count == header.count }
    }

    public var count: Int { rows.count }

    public func has(_ column: String) -> Bool { header.contains(column) }

    /// The cells of `column`, text with a spreadsheet guard (a leading `'` before `=`, `+`, `-`, `@`) removed.
    public func strings(_ column: String) throws -> [String] {
        guard let index = header.firstIndex(of: column) else { throw ReportError("\(path): no column '\(column)'") }
        return rows.map { row in
            let cell = row[index]
            if cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@".contains(next) { return String(cell.dropFirst()) }
            return cell
        }
    }

    /// The cells of `column` as numbers (NaN where empty or not a number).
    public func doubles(_ column: String) throws -> [Double] {
        try strings(column).map { Double($0) ?? .nan }
    }
}
