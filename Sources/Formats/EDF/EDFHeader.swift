import Core

/// One header block of an ESRF Data Format (EDF) file: `{`, then `Key = value ;` lines, then `}` and a newline,
/// the whole padded with spaces to a multiple of 512 bytes (ESRF's EDF specification; fabio `edfimage.py`).
///
/// The keys the pixels need are `ByteOrder` (`LowByteFirst` or `HighByteFirst`), `DataType` (fabio's names,
/// e.g. `UnsignedShort`, `SignedInteger`, `FloatValue`), `Dim_1` (columns, the fast axis) and `Dim_2` (rows);
/// `Size` (or `EDF_BinarySize`) gives the bytes of the data that follow the header.
public struct EDFHeader: Sendable, Equatable {
    /// Keys in the order the file lists them.
    public let keys: [String]
    /// Values by key, trimmed of spaces.
    public let values: [String: String]

    /// Parses the text between `{` and `}`.
    /// - Throws: ``FormatError`` naming `file` and the line that is not `Key = value`.
    public init(text: String, file: String) throws(FormatError) {
        var keys: [String] = [], values: [String: String] = [:]
        for entry in text.split(separator: ";") {
            let line = entry.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw FormatError(file: file, message: "EDF header line '\(line)' is not 'Key = value ;'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            if values[key] == nil { keys.append(key) }
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        self.keys = keys
        self.values = values
    }

    public subscript(key: String) -> String? { values[key] }

    /// The value of `key`.
    /// - Throws: ``FormatError`` naming the key, the file and the keys the header has.
    public func required(_ key: String, file: String) throws(FormatError) -> String {
        guard let value = values[key] else {
            throw FormatError(file: file, message: "EDF header has no \(key) (it has \(keys.joined(separator: ", ")))")
        }
        return value
    }

    /// The number under `key`.
    /// - Throws: ``FormatError`` naming the key when it is missing or not a number.
    public func number(_ key: String, file: String) throws(FormatError) -> Double {
        let text = try required(key, file: file)
        guard let value = Double(text), value.isFinite else {
            throw FormatError(file: file, message: "EDF header \(key) = '\(text)' is not a number")
        }
        return value
    }

    /// The element type `DataType` names (fabio's table of EDF type names).
    /// - Throws: ``FormatError`` naming the type when it is unknown.
    public func elementType(file: String) throws(FormatError) -> ElementType {
        let name = try required("DataType", file: file)
        switch name {
        case "SignedByte", "Signed8": return .int8
        case "UnsignedByte", "Unsigned8": return .uint8
        case "SignedShort", "Signed16": return .int16
        case "UnsignedShort", "Unsigned16", "UnsignedShortInteger": return .uint16
        case "SignedInteger", "Signed32", "SignedLong": return .int32
        case "UnsignedInteger", "Unsigned32", "UnsignedLong": return .uint32
        case "Signed64": return .int64
        case "Unsigned64": return .uint64
        case "FloatValue", "FLOATVALUE", "FLOAT", "Float", "FloatIEEE32", "Float32": return .float32
        case "Double", "DoubleValue", "FloatIEEE64", "DoubleIEEE64": return .float64
        default:
            throw FormatError(file: file, message: "EDF DataType '\(name)' is not supported (integers of 8 to 64 "
                              + "bits, FloatValue, DoubleValue)")
        }
    }

    /// Whether the data are stored most significant byte first (`ByteOrder = HighByteFirst`).
    /// - Throws: ``FormatError`` when `ByteOrder` is neither `LowByteFirst` nor `HighByteFirst`.
    public func bigEndian(file: String) throws(FormatError) -> Bool {
        // One-byte types need no byte order; fabio then assumes little-endian too.
        let order = values["ByteOrder"] ?? "LowByteFirst"
        switch order {
        case "LowByteFirst": return false
        case "HighByteFirst": return true
        default: throw FormatError(file: file, message: "EDF ByteOrder '\(order)' must be LowByteFirst or HighByteFirst")
        }
    }
}
