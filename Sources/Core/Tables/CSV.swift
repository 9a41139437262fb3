/// RFC 4180 CSV encoding, safe to open in a spreadsheet.
///
/// Rows are built as bytes and written in one piece: string formatting per field is the slow part of CSV
/// output, and a byte buffer keeps it cheap.
///
/// A text cell that a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or carriage
/// return, and not a number such as `-1.5`) is written quoted with a leading apostrophe: `"'=HYPERLINK(...)"`. A
/// cell that starts with an apostrophe followed by one of those characters or another apostrophe gets one more, so
/// that ``parse(_:)`` (and any reader that strips one leading `'` before `=+-@`, tab, CR or `'`) restores the text.
public enum CSV {
    /// Text that is not CSV.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// What is wrong and where.
        public let message: String
        /// The message, naming the line at fault.
        public var description: String { message }
    }

    /// First scalars that make a spreadsheet evaluate a cell.
    ///
    /// Everything here works on Unicode scalars, never on Swift `Character`s: a quote, comma or `=` followed by a
    /// combining mark (U+0301) is one `Character` that equals none of them, yet a CSV parser or a spreadsheet still
    /// sees the quote (fuzz finding `Fuzz/Corpus/csv/finding-quote-combining-mark.csv`).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether `text` must be written with a leading apostrophe (see the type's documentation).
    public static func needsFormulaEscape(_ text: String) -> Bool {
        var scalars = text.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return false }
        if first == "'" {
            guard let second = scalars.next() else { return false }
            return second == "'" || formulaStarts.contains(second)
        }
        return formulaStarts.contains(first) && Double(text) == nil
    }

    /// Undoes ``needsFormulaEscape(_:)``'s apostrophe on a parsed cell.
    static func unescapeFormula(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first,
              second == "'" || formulaStarts.contains(second) else { return text }
        return String(scalars.dropFirst())
    }

    /// Encodes one field, quoting it when it contains a comma, a quote, a line break or edge spaces, and writing a
    /// would-be formula as quoted text with a leading apostrophe.
    public static func field(_ text: String) -> String {
        let scalars = text.unicodeScalars
        if needsFormulaEscape(text) { return "\"'" + doublingQuotes(text) + "\"" }
        let needsQuotes = scalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || scalars.first == " " || scalars.last == " "
        guard needsQuotes else { return text }
        return "\"" + doublingQuotes(text) + "\""
    }

    /// `text` with every quote scalar written twice (RFC 4180's escape inside a quoted field).
    static func doublingQuotes(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(scalar)
            if scalar == "\"" { out.append(scalar) }
        }
        return String(out)
    }

    /// Encodes one row (without the line terminator).
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    /// Splits CSV text into rows of fields, honouring quotes and removing the apostrophe of an escaped formula
    /// cell (the inverse of ``row(_:)``).
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
            case ",": fields.append(unescapeFormula(field)); field = ""
            case "\r": break
            case "\n":
                fields.append(unescapeFormula(field)); rows.append(fields); fields = []; field = ""; line += 1
                sawAny = false
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(message: "unterminated quoted field at line \(line)") }
        if sawAny || !fields.isEmpty { fields.append(unescapeFormula(field)); rows.append(fields) }
        return rows
    }
}
