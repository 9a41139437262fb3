import Foundation

/// A JSON scalar for the parameter records.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)

    /// The JSON text: numbers in Swift's shortest round-trip form, strings escaped.
    public var json: String {
        switch self {
        case .number(let v):
            if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
            return "\(v)"
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
        }
    }

    /// A JSON object of `pairs`, in order.
    public static func object(_ pairs: [(String, JSONValue)]) -> String {
        "{" + pairs.map { JSONValue.string($0.0).json + ":" + $0.1.json }.joined(separator: ",") + "}"
    }
}
