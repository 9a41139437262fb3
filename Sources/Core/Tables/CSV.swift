/// RFC 4180 CSV encoding.
///
/// Rows are built as bytes and written in one piece: string formatting per field is the slow part of CSV
/// output, and a byte buffer keeps it cheap.
public enum CSV {
    /// Text that is not CSV.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// What is wrong and where.
        public let message: String
        /// The message, naming the line at fault.
        public var description: String { message }
    }

    /// Encodes one field, quoting it when it contains a comma, a quote, a line break or edge spaces.
    public static func field(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Encodes one row (without the line terminator).
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    /// Splits CSV text into rows of fields, honouring quotes (the inverse of ``row(_:)``).
    ///
    /// - Throws: ``ParseError`` when a quoted field is not closed.
    public static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        var line = 1
        var sawAny = false
        while let c = next() {
            sawAny = true
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r": break
            case "\n":
                fields.append(field); rows.append(fields); fields = []; field = ""; line += 1; sawAny = false
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(message: "unterminated quoted field at line \(line)") }
        if sawAny || !fields.isEmpty { fields.append(field); rows.append(fields) }
        return rows
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
