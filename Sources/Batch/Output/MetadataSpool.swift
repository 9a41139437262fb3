import Core
import Foundation
import POSIX

/// Rank 0's append-only store of metadata rows, kept beside the `.partial` output until the run completes.
///
/// Rows arrive in batch order, not item order, and must survive a crash for `--resume`. Each record is
/// `item (Int64 LE) · length (UInt32 LE) · CSV row bytes`. A record torn by a crash is cut off on reopening; when
/// an item appears twice (recomputed after a crash), the last record wins. ``writeCSV(to:header:itemCount:)``
/// writes the final file in item order.
struct MetadataSpool {
    let path: String
    private let handle: FileHandle

    /// Opens the spool, creating it or (when `truncate`) emptying it, and cuts off a torn last record.
    init(path: String, truncate: Bool) throws {
        self.path = path
        let fm = FileManager.default
        if truncate || !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil) else {
                throw BatchError(.output, "cannot create \(path)", agreed: false)
            }
        }
        do {
            handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let valid = Self.forEachRecord(in: data)
            if valid < data.count { try handle.truncate(atOffset: UInt64(valid)) }
            try handle.seekToEnd()
        } catch {
            throw BatchError(.io, "cannot open metadata spool \(path): \(error)", agreed: false)
        }
    }

    /// Writes a spool holding the rows of a finished metadata CSV (row k is item k), except `excluded` items.
    /// - Throws: ``BatchError`` naming the CSV when it does not have `header` and one row per item.
    static func create(path: String, fromCSV csvPath: String, header: [String], itemCount: Int,
                       excluding excluded: Set<Int>) throws {
        let kept = (0..<itemCount).filter { !excluded.contains($0) }
        try create(path: path, fromCSV: csvPath, header: header, rowCount: itemCount,
                   moving: kept.map { ($0, $0) }, renumber: { row, _ in row })
    }

    /// Writes a spool holding rows of a finished metadata CSV of `rowCount` rows under new item numbers: row
    /// `move.from` as item `move.to`, its fields passed through `renumber(row, move.to)`.
    /// - Throws: ``BatchError`` naming the CSV when it does not have `header` and `rowCount` rows.
    static func create(path: String, fromCSV csvPath: String, header: [String], rowCount: Int,
                       moving moves: [(from: Int, to: Int)], renumber: ([String], Int) -> [String]) throws {
        let rows = try readCSV(csvPath, header: header, rowCount: rowCount)
        let bytes = encode(items: moves.map(\.to), rows: moves.map { renumber(rows[$0.from + 1], $0.to) })
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw BatchError(.output, "cannot create \(path)", agreed: false)
        }
    }

    /// The rows of a finished metadata CSV (row 0 the header), checked against `header` and `rowCount`.
    private static func readCSV(_ csvPath: String, header: [String], rowCount itemCount: Int) throws -> [[String]] {
        let rows: [[String]]
        do {
            rows = try CSV.parse(try String(contentsOfFile: csvPath, encoding: .utf8))
        } catch {
            throw BatchError(.output, "cannot read \(csvPath): \(error)", agreed: false)
        }
        guard rows.first == header else {
            throw BatchError(.output, "\(csvPath) does not have this job's columns \(header.joined(separator: ","))",
                             agreed: false)
        }
        guard rows.count == itemCount + 1, rows.allSatisfy({ $0.count == header.count }) else {
            throw BatchError(.output, "\(csvPath) should hold \(itemCount) rows of \(header.count) fields", agreed: false)
        }
        return rows
    }

    /// Encodes rows as spool records.
    static func encode(items: [Int], rows: [[String]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (item, fields) in zip(items, rows) {
            let row = Array(CSV.row(fields).utf8)
            withUnsafeBytes(of: Int64(item).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(row.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: row)
        }
        return bytes
    }

    /// Walks the records of `data`, calling `body(item, rowBytes)`; returns the length of the complete records.
    @discardableResult
    static func forEachRecord(in data: Data, _ body: (Int, Range<Int>) -> Void = { _, _ in }) -> Int {
        var offset = 0
        while offset + 12 <= data.count {
            let item = data.withUnsafeBytes { Int(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Int64.self))) }
            let length = data.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))) }
            guard offset + 12 + length <= data.count else { break }
            body(item, offset + 12..<offset + 12 + length)
            offset += 12 + length
        }
        return offset
    }

    /// The items that have a row.
    func itemsPresent(itemCount: Int) throws -> [Bool] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var present = [Bool](repeating: false, count: itemCount)
        Self.forEachRecord(in: data) { item, _ in if (0..<itemCount).contains(item) { present[item] = true } }
        return present
    }

    /// Appends records and forces them to storage, so that a written `done` flag always has its row.
    func append(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        do {
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
        } catch {
            throw BatchError(.io, "writing metadata spool \(path): \(error)", agreed: false)
        }
    }

    func close() { try? handle.close() }

    /// The spool file of one rank's rows in a run whose ranks write on their own (beside the main spool, on the
    /// output directory every rank shares).
    static func rankPath(_ path: String, rank: Int) -> String { path + ".rank\(rank)" }

    /// The rank spool files beside the spool at `path`.
    static func rankSpools(of path: String) -> [String] {
        let directory = PathName.parent(path)
        let prefix = (path as NSString).lastPathComponent + ".rank"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? [])
            .filter { $0.hasPrefix(prefix) }.sorted()
        return names.map { directory.isEmpty ? $0 : directory + "/" + $0 }
    }

    /// Moves the records of every rank's spool file beside `path` (left by this run, or by an interrupted one with
    /// any number of ranks) into this spool, cutting off torn records, and removes those files. Rank 0 only.
    func absorbRankSpools() throws {
        for file in Self.rankSpools(of: path) {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            try append([UInt8](data.prefix(Self.forEachRecord(in: data))))
            try? FileManager.default.removeItem(atPath: file)
        }
    }

    /// Writes the CSV (header, then one row per item in item order) to `destination` via a temporary name.
    func writeCSV(to destination: String, header: [String], itemCount: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var ranges = [Range<Int>?](repeating: nil, count: itemCount)
        Self.forEachRecord(in: data) { item, range in if (0..<itemCount).contains(item) { ranges[item] = range } }
        if let missing = ranges.firstIndex(where: { $0 == nil }) {
            throw BatchError(.io, "metadata row of item \(missing) is missing from \(path)", agreed: false)
        }
        let temporary = destination + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let out = FileHandle(forWritingAtPath: temporary) else {
            throw BatchError(.output, "cannot create \(temporary)", agreed: false)
        }
        var buffer = Data(CSV.row(header).utf8)
        buffer.append(0x0A)
        for range in ranges {
            buffer.append(data[range!])
            buffer.append(0x0A)
            if buffer.count > 1 << 22 {
                try out.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try out.write(contentsOf: buffer)
        try out.close()
        try Files.rename(temporary, to: destination)
    }
}

/// Small file-system helpers shared by the runner.
enum Files {
    static func rename(_ source: String, to destination: String) throws {
        do { try FileSystem.rename(source, to: destination) } catch {
            throw BatchError(.io, "cannot rename \(source) to \(destination): \(error)", agreed: false)
        }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}
