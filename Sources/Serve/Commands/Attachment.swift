import Formats

/// A file sent with a request: SAXSDog's `{"filename": F, "data": S}`, where S is the file's bytes decoded as
/// latin-1 (so every character is one byte, U+0000 to U+00FF).
public struct Attachment: Sendable {
    /// The name the client gave (a base name is used; folders are dropped).
    public let filename: String
    /// The file's bytes (S encoded back to latin-1).
    public let bytes: [UInt8]
    /// The attachment as received, for `get`.
    public let json: JSONValue

    /// Parses one attachment frame.
    /// - Throws: a message for SAXSDog's `ValueError` reply when the frame is not such an object or S holds a
    ///   character above U+00FF.
    public init(frame: [UInt8], index: Int) throws(Refusal) {
        func refuse(_ message: String) -> Refusal {
            Refusal(SAXSDogReply.error("ValueError", "attachment \(index + 1): \(message)"))
        }
        guard let text = String(validating: frame, as: UTF8.self) else { throw refuse("not UTF-8 text") }
        let value: JSONValue
        do { value = try JSONValue(parsing: text, file: "attachment") } catch { throw refuse(error.message) }
        guard case .string(let name)? = value["filename"], case .string(let data)? = value["data"] else {
            throw refuse("must be an object with the strings \"filename\" and \"data\"")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.unicodeScalars.count)
        for scalar in data.unicodeScalars {
            guard scalar.value <= 0xFF else { throw refuse("data holds U+\(String(scalar.value, radix: 16, uppercase: true)), not latin-1") }
            bytes.append(UInt8(scalar.value))
        }
        filename = name
        self.bytes = bytes
        json = value
    }

    /// The attachment frame SAXSDog's leash sends for a file's bytes.
    public static func frame(filename: String, bytes: [UInt8]) -> [UInt8] {
        let data = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        return Array(JSONValue.object([("filename", .string(filename)), ("data", .string(data))]).pythonDumps.utf8)
    }
}
