import Core
import Foundation

/// A JSON document that keeps what Foundation's decoders lose: the order of object keys and the literal text of
/// numbers (so `3` stays an integer and `3.0` a float, as Python's `json` module loads them).
///
/// SAXSDog writes the calibration it used into every `.chi` header with Python's `json.dumps`; ``pythonDumps``
/// reproduces that text byte for byte from the file as loaded.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `1031.657` or `3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Keys in document order.
    case object([(key: String, value: JSONValue)])

    /// Structural equality: numbers by their literal text, object members in order.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: false
        }
    }

    /// The member `key` of an object (the last one when a key repeats, as Python keeps it).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// Element `index` of an array (nil outside it or for other values).
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// A number's value.
    public var double: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// Whether the literal is an integer (digits after an optional minus: no fraction, no exponent).
    public var isInteger: Bool {
        guard case .number(let text) = self else { return false }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// The JSON type's name for messages ("number", "object", …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    // MARK: Parsing

    /// Parses a complete JSON text (RFC 8259).
    /// - Throws: ``FormatError`` with the line and column of the first problem.
    public init(parsing text: String, file: String? = nil) throws(FormatError) {
        var parser = Parser(bytes: Array(text.utf8), file: file)
        parser.skipSpace()
        self = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected text after the JSON value") }
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String?
        var index = 0

        func failure(_ message: String) -> FormatError {
            let before = bytes[..<min(index, bytes.count)]
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = index - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return FormatError(file: file, message: "invalid JSON at line \(line), column \(column): \(message)")
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ literal: String) throws(FormatError) {
            let expected = Array(literal.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw failure("expected '\(literal)'")
            }
            index += expected.count
        }

        mutating func value(depth: Int) throws(FormatError) -> JSONValue {
            guard depth < 512 else { throw failure("nested too deeply") }
            guard index < bytes.count else { throw failure("unexpected end of text") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(key: String, value: JSONValue)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard index < bytes.count else { throw failure("unexpected end of text in an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    throw failure("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                index += 1
                var elements: [JSONValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                while true {
                    skipSpace()
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw failure("unexpected end of text in an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                    throw failure("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true"); return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false"); return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null"); return .null
            default:
                return try number()
            }
        }

        mutating func number() throws(FormatError) -> JSONValue {
            let start = index
            func digits(_ p: inout Parser) -> Int {
                let s = p.index
                while p.index < p.bytes.count, (0x30...0x39).contains(p.bytes[p.index]) { p.index += 1 }
                return p.index - s
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { index = start; throw failure("expected a value") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits(&self) > 0 else { throw failure("expected digits after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits(&self) > 0 else { throw failure("expected digits in the exponent") }
            }
            return .number(String(decoding: bytes[start..<index], as: UTF8.self))
        }

        mutating func string() throws(FormatError) -> String {
            index += 1  // opening quote
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush(_ raw: inout [UInt8], into scalars: inout String.UnicodeScalarView) {
                if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars) }
                raw.removeAll(keepingCapacity: true)
            }
            while true {
                guard index < bytes.count else { throw failure("unterminated string") }
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { throw failure("control character in a string") }
                guard byte == UInt8(ascii: "\\") else { raw.append(byte); continue }
                flush(&raw, into: &scalars)
                guard index < bytes.count else { throw failure("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{c}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                       bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
                    scalars.append(scalar)
                default:
                    throw failure("invalid escape")
                }
            }
            flush(&raw, into: &scalars)
            return String(scalars)
        }

        mutating func hex4() throws(FormatError) -> UInt32 {
            guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self),
                                                                radix: 16) else {
                throw failure("invalid \\u escape")
            }
            index += 4
            return code
        }
    }

    // MARK: Python's json.dumps

    /// The text Python's `json.dumps(value)` gives for this document as `json.load` reads it: separators `", "`
    /// and `": "`, keys in order, non-ASCII escaped as `\uXXXX`, integers as written and floats in Python's
    /// shortest round-trip `repr`.
    public var pythonDumps: String {
        var out = ""
        appendPython(to: &out)
        return out
    }

    /// The text of Python's `json.dumps(value, indent=indent, separators=(",", ": "))`: each array element and
    /// object member on its own line, indented by `indent` spaces per level; empty ones as `[]` and `{}`.
    public func pythonDumps(indent: Int) -> String {
        var out = ""
        appendPython(to: &out, indent: String(repeating: " ", count: indent), level: 0)
        return out
    }

    private func appendPython(to out: inout String, indent: String? = nil, level: Int = 0) {
        // Between elements: ", " on one line, or ",\n" and the next level's indentation.
        let (open, separator, close) = indent.map { unit in
            ("\n" + String(repeating: unit, count: level + 1), ",\n" + String(repeating: unit, count: level + 1),
             "\n" + String(repeating: unit, count: level))
        } ?? ("", ", ", "")
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let text):
            if isInteger {
                // Python's int: no leading zeros, no "-0".
                let negative = text.hasPrefix("-")
                let digits = text.drop { $0 == "-" }.drop { $0 == "0" }
                out += digits.isEmpty ? "0" : (negative ? "-" : "") + digits
            } else {
                out += Self.pythonFloatRepr(Double(text) ?? .nan)
            }
        case .string(let s): Self.appendPythonString(s, to: &out)
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                out += i > 0 ? separator : open
                element.appendPython(to: &out, indent: indent, level: level + 1)
            }
            out += (elements.isEmpty ? "" : close) + "]"
        case .object(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                out += i > 0 ? separator : open
                Self.appendPythonString(member.key, to: &out)
                out += ": "
                member.value.appendPython(to: &out, indent: indent, level: level + 1)
            }
            out += (members.isEmpty ? "" : close) + "}"
        }
    }

    private static func appendPythonString(_ s: String, to out: inout String) {
        out += "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(unit)!)
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }

    /// Python's `repr(float)` (and `json.dumps` of a float): the shortest digits that round-trip, in positional
    /// notation when the decimal exponent is in [-4, 16), else as `d.ddde±XX`; `Infinity`, `-Infinity`, `NaN`.
    public static func pythonFloatRepr(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        // Swift's description also prints the shortest round-trip digits; take them and re-lay them out.
        let text = x.magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = mantissa.replacingOccurrences(of: ".", with: "")
        // The position of the decimal point relative to the first digit: value = 0.d1d2… × 10^point.
        var point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
                     ?? mantissa.count) + exponent
        let leadingZeros = digits.prefix { $0 == "0" }.count
        if leadingZeros == digits.count {
            return (x.sign == .minus ? "-" : "") + "0.0"
        }
        digits.removeFirst(leadingZeros)
        point -= leadingZeros
        while digits.hasSuffix("0") { digits.removeLast() }
        let sign = x.sign == .minus ? "-" : ""
        if point > -4 && point <= 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if digits.count <= point { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
            let i = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<i] + "." + digits[i...]
        }
        let e = point - 1
        let body = digits.count == 1 ? digits : String(digits.first!) + "." + digits.dropFirst()
        let magnitude = String(abs(e))
        return sign + body + "e" + (e < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }
}
