/// The element type of a column of values: what an output dataset stores, what a detector frame is read as, what
/// an attribute holds. The one vocabulary of element types in beamforge (the HDF5 wrapper maps it to HDF5 types).
public enum ElementType: Sendable, Hashable, CustomStringConvertible {
    case float64, float32
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    /// Fixed-length UTF-8 strings of at most `length` bytes, null-padded.
    case string(length: Int)

    /// Bytes per element in a file and in memory.
    public var size: Int {
        switch self {
        case .float64, .int64, .uint64: 8
        case .float32, .int32, .uint32: 4
        case .int16, .uint16: 2
        case .int8, .uint8: 1
        case .string(let length): length
        }
    }

    /// The largest value of an unsigned integer type (detectors mark overflowed or dead pixels with it); nil for
    /// other types.
    public var unsignedMaximum: Double? {
        switch self {
        case .uint8: Double(UInt8.max)
        case .uint16: Double(UInt16.max)
        case .uint32: Double(UInt32.max)
        case .uint64: Double(UInt64.max)
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .float64: "float64"
        case .float32: "float32"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .string(let length): "string[\(length)]"
        }
    }
}
