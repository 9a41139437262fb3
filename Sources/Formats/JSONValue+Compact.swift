import Foundation

extension JSONValue {
    /// A number in the compact form of ``compactJSON``: integral values below 10¹⁵ as integers, the others in Swift's
    /// shortest round-trip form.
    public init(_ value: Double) {
        self = .number(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)")
    }

    /// The JSON text without spaces (`{"a":1,"b":"x"}`): strings with `"`, `\`, line feeds and control characters
    /// escaped, other characters as they are. The form of SAXS's `params` column, parsed by Python's `json.loads`.
    public var compactJSON: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let text): return text
        case .string(let s):
            var out = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default:
                    if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
                }
            }
            return out + "\""
        case .array(let values): return "[" + values.map(\.compactJSON).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { JSONValue.string($0.key).compactJSON + ":" + $0.value.compactJSON }
                .joined(separator: ",") + "}"
        }
    }
}
