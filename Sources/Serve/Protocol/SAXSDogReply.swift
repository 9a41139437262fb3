import Formats

/// SAXSDog's replies: a JSON object `{"result": R, "data": D}` written with Python's `json.dumps` (keys in the order
/// SAXSDog builds them, separators `", "` and `": "`, non-ASCII escaped), the exact texts of live-integration.md §2.
public enum SAXSDogReply {
    /// `{"result": result, "data": data}`, or `{"result": result}` when `data` is nil (SAXSDog's
    /// ErrorNotimplemented).
    public static func make(_ result: String, _ data: JSONValue?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("result", .string(result))]
        if let data { members.append(("data", data)) }
        return .object(members)
    }

    /// `{"result": result, "data": {"Error": message}}`, SAXSDog's form of most errors.
    public static func error(_ result: String, _ message: String) -> JSONValue {
        make(result, .object([("Error", .string(message))]))
    }

    /// The reply of a request that is not JSON (Python's `json.loads` raised ValueError).
    public static func notJSON(_ message: String) -> JSONValue { error("ValueError in request", message) }
    /// The reply of a request that breaks the request schema; SAXSDog sends the message as a string.
    public static func invalid(_ message: String) -> JSONValue { make("ValidationError in request", .string(message)) }
    /// The reply of a request that fails authentication: "Wrong signature.", "Untimely request." or
    /// "Replayed request." (beamforge's addition).
    public static func unauthenticated(_ message: String) -> JSONValue { error("AuthenticationError", message) }
    /// The reply of a request the server failed on (SAXSDog: any other exception, e.g. KeyError `'sign'`).
    public static func serverError(_ message: String) -> JSONValue { error("ServerError", message) }
    /// The reply of a command the server does not implement.
    public static let notImplemented = make("ErrorNotimplemented", nil)

    /// The reply's bytes on the wire (Python's `json.dumps(result)`, UTF-8).
    public static func bytes(_ reply: JSONValue) -> [UInt8] { Array(reply.pythonDumps.utf8) }

    /// A float as Python's `json.dumps` writes it.
    public static func float(_ value: Double) -> JSONValue { .number(JSONValue.pythonFloatRepr(value)) }
    /// An integer.
    public static func integer(_ value: Int) -> JSONValue { .number(String(value)) }
}
