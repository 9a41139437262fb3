import Core
import Formats
import Foundation

/// The accept and reject lists of a finished `ptycho-qc` run, from its `meta.csv` (rows in position order):
/// `qc.csv` (the same table), `accept_indices.npy` and `reject_indices.npy` (int64 position indices) and
/// `ptypy_indices.json` (the lists, and the `framefilter` keys of ptypy's Hdf5Loader: `/qc/accepted`, > 0 = keep).
public enum QCLists {
    /// Writes the lists into `directory`, where the run wrote `meta.csv` and `qcFile` (an absolute path).
    /// - Throws: ``FormatError`` naming the file that cannot be read or written.
    public static func write(directory: String, qcFile: String) throws(FormatError) {
        let meta = directory + "/meta.csv"
        let table = try Self.table(meta)
        guard let text = try? String(contentsOfFile: meta, encoding: .utf8) else {
            throw FormatError(file: meta, message: "cannot read the QC table")
        }
        var accept: [Int64] = [], reject: [Int64] = []
        for (p, verdict) in table.column("accepted").enumerated() {
            if verdict == "1" { accept.append(Int64(p)) } else { reject.append(Int64(p)) }
        }
        do {
            try text.write(toFile: directory + "/qc.csv", atomically: true, encoding: .utf8)
            try npy(accept).write(to: URL(fileURLWithPath: directory + "/accept_indices.npy"), options: .atomic)
            try npy(reject).write(to: URL(fileURLWithPath: directory + "/reject_indices.npy"), options: .atomic)
            let json: JSONValue = .object([
                ("accept", .array(accept.map { .number(String($0)) })),
                ("reject", .array(reject.map { .number(String($0)) })),
                ("framefilter", .object([("file", .string(qcFile)), ("key", .string("qc/accepted"))])),
            ])
            try (json.compactJSON + "\n").write(toFile: directory + "/ptypy_indices.json", atomically: true, encoding: .utf8)
        } catch {
            throw FormatError(file: directory, message: "cannot write the QC lists: \(error)")
        }
    }

    /// A 1-D int64 `.npy` array.
    static func npy(_ values: [Int64]) -> Data {
        var data = NPYHeader(descr: "<i8", shape: [values.count]).encoded()
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// A QC table as text, by column.
    public struct Table: Sendable {
        public let header: [String]
        public let rows: [[String]]

        /// The column `name` (empty fields where absent).
        public func column(_ name: String) -> [String] {
            guard let c = header.firstIndex(of: name) else { return rows.map { _ in "" } }
            return rows.map { c < $0.count ? $0[c] : "" }
        }
    }

    /// The table of the run's `meta.csv` at `path`.
    /// - Throws: ``FormatError`` when it cannot be read or lacks the `accepted` column.
    public static func table(_ path: String) throws(FormatError) -> Table {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let rows = try? CSV.parse(text).filter({ !($0.count == 1 && $0[0].isEmpty) }),
              let header = rows.first, header.contains("accepted") else {
            throw FormatError(file: path, message: "cannot read the QC table (no accepted column)")
        }
        return Table(header: header, rows: Array(rows.dropFirst()))
    }
}
