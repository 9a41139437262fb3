import Foundation

extension MetadataSpool {
    /// The longest row a record may hold; a longer length field is damage, not a row.
    static let longestRow = 1 << 24

    /// Checks the spool at `path` and the rank spools beside it before `--resume` uses them, without changing
    /// them: every record names an item of the job and holds one CSV row of `fieldCount` fields, and every item
    /// flagged in `done` has a row. Only the last record of a file may be torn (a crash while appending). Rank 0.
    /// - Throws: ``BatchError`` naming the damaged file and what is wrong with it.
    static func verify(path: String, fieldCount: Int, itemCount: Int, done: [UInt8]) throws {
        var present = [Bool](repeating: false, count: itemCount)
        for file in [path] + rankSpools(of: path) where Files.exists(file) {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw BatchError(.damaged, "cannot read metadata spool \(file): \(error)", agreed: false)
            }
            if let damage = damage(in: data, fieldCount: fieldCount, itemCount: itemCount, present: &present) {
                throw BatchError(.damaged, "metadata spool \(file) is damaged: \(damage)", agreed: false)
            }
        }
        let missing = done.indices.filter { done[$0] == 1 && !present[$0] }
        if let first = missing.first {
            throw BatchError(.damaged, "\(missing.count) items marked done have no metadata row in \(path) or its "
                             + "rank spools (first: item \(first)): the spool was truncated or lost", agreed: false)
        }
    }

    /// What is wrong with the records of one spool file, or nil; marks the items that have a row.
    private static func damage(in data: Data, fieldCount: Int, itemCount: Int, present: inout [Bool]) -> String? {
        var offset = 0
        while offset + 12 <= data.count {
            let item = data.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Int64.self)) }
            let length = data.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))) }
            guard (0..<Int64(itemCount)).contains(item) else {
                return "the record at byte \(offset) names item \(item), outside 0..<\(itemCount)"
            }
            guard length <= longestRow else { return "the record at byte \(offset) claims a row of \(length) bytes" }
            guard offset + 12 + length <= data.count else { return nil }  // torn by a crash: cut off on reopening
            let row = data[(data.startIndex + offset + 12)..<(data.startIndex + offset + 12 + length)]
            if let problem = rowProblem(row, fieldCount: fieldCount) {
                return "the row of item \(item) at byte \(offset) \(problem)"
            }
            present[Int(item)] = true
            offset += 12 + length
        }
        return nil
    }

    /// Why `row` is not one CSV row of `fieldCount` fields, or nil.
    private static func rowProblem(_ row: Data, fieldCount: Int) -> String? {
        var fields = 1
        var inQuotes = false
        var ascii = true
        let problem: String? = row.withUnsafeBytes { bytes in
            for byte in bytes {
                switch byte {
                case 0: return "holds a NUL byte"
                case UInt8(ascii: "\""): inQuotes.toggle()
                case UInt8(ascii: ","): if !inQuotes { fields += 1 }
                case UInt8(ascii: "\n"): if !inQuotes { return "holds a line break outside quotes" }
                case 0x80...: ascii = false
                default: break
                }
            }
            return nil
        }
        if let problem { return problem }
        if !ascii && String(data: row, encoding: .utf8) == nil { return "is not UTF-8 text" }
        if inQuotes { return "has an unclosed quote" }
        return fields == fieldCount ? nil : "has \(fields) fields instead of \(fieldCount)"
    }
}
