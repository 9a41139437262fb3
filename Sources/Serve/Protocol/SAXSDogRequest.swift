import Formats

/// One request as SAXSDog's server reads it: frame 0 is the JSON request `{"command", "argument", "time",
/// "sign"}`, frames 1… are attachments (unsigned). ``parse(_:)`` checks it the way SAXSDog does, in its order:
/// JSON, then the request schema (no other keys, at the root or in `argument`), then the caller authenticates.
public struct SAXSDogRequest: Sendable {
    /// The request as parsed (key order as sent).
    public let document: JSONValue
    /// `command`.
    public let command: String
    /// `argument` (an empty object when absent).
    public let argument: JSONValue
    /// Frames 1…, raw.
    public let attachments: [[UInt8]]

    /// The keys `argument` may hold (SAXS_py3 `LeashRequestSchema.json`).
    public static let argumentKeys = ["calibration", "mergeconf", "data", "directory"]
    /// The keys a request may hold.
    public static let rootKeys = ["command", "argument", "time", "sign"]

    /// The request of `frames`, or the error reply SAXSDog gives for it (not JSON; against the schema).
    public static func parse(_ frames: [[UInt8]]) -> Result<SAXSDogRequest, Refusal> {
        guard let first = frames.first else { return .failure(Refusal(SAXSDogReply.notJSON("empty message"))) }
        guard let text = String(validating: first, as: UTF8.self) else {
            return .failure(Refusal(SAXSDogReply.notJSON("the request is not UTF-8 text")))
        }
        let document: JSONValue
        do { document = try JSONValue(parsing: text, file: "request") } catch {
            return .failure(Refusal(SAXSDogReply.notJSON(error.message)))
        }
        if let problem = schemaProblem(document) { return .failure(Refusal(SAXSDogReply.invalid(problem))) }
        guard case .string(let command)? = document["command"] else {
            return .failure(Refusal(SAXSDogReply.invalid("'command' is a required property")))
        }
        return .success(SAXSDogRequest(document: document, command: command,
                                       argument: document["argument"] ?? .object([]),
                                       attachments: Array(frames.dropFirst())))
    }

    /// The first way `document` breaks the request schema, in the words of Python's jsonschema, or nil.
    static func schemaProblem(_ document: JSONValue) -> String? {
        guard case .object(let members) = document else { return "\(pythonRepr(document)) is not of type 'object'" }
        if let extra = members.first(where: { !rootKeys.contains($0.key) }) {
            return "Additional properties are not allowed ('\(extra.key)' was unexpected)"
        }
        guard let command = document["command"] else { return "'command' is a required property" }
        guard case .string = command else { return "\(pythonRepr(command)) is not of type 'string'" }
        if let time = document["time"], time.double == nil { return "\(pythonRepr(time)) is not of type 'number'" }
        if let sign = document["sign"], sign.typeName != "string" { return "\(pythonRepr(sign)) is not of type 'string'" }
        if let argument = document["argument"] {
            guard case .object(let fields) = argument else { return "\(pythonRepr(argument)) is not of type 'object'" }
            if let extra = fields.first(where: { !argumentKeys.contains($0.key) }) {
                return "Additional properties are not allowed ('\(extra.key)' was unexpected)"
            }
            for key in ["calibration", "mergeconf"] {
                if let value = argument[key], value.typeName != "object" {
                    return "\(pythonRepr(value)) is not of type 'object'"
                }
            }
            if let directory = argument["directory"] {
                guard case .array(let parts) = directory else { return "\(pythonRepr(directory)) is not of type 'array'" }
                if let part = parts.first(where: { $0.typeName != "string" }) {
                    return "\(pythonRepr(part)) is not of type 'string'"
                }
            }
        }
        return nil
    }

    /// A value as Python's `repr` shows it in jsonschema's messages (strings quoted with `'`, `True`, `None`).
    static func pythonRepr(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "'" + s.replacingOccurrences(of: "'", with: "\\'") + "'"
        case .bool(let b): return b ? "True" : "False"
        case .null: return "None"
        case .number: return value.pythonDumps
        case .array(let items): return "[" + items.map(pythonRepr).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { pythonRepr(.string($0.key)) + ": " + pythonRepr($0.value) }
                .joined(separator: ", ") + "}"
        }
    }
}

/// A request refused before any command ran, with the reply it gets.
public struct Refusal: Error, Sendable {
    public let reply: JSONValue
    public init(_ reply: JSONValue) { self.reply = reply }
}
