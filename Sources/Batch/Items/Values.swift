import Core
import HDF5

/// One item's values, by output name.
public enum Values: Sendable {
    case float64([Double])
    case float32([Float])
    case int64([Int64])
    case int32([Int32])
    case uint16([UInt16])
    case uint8([UInt8])
    case string(String)

    /// The element type of numbers; nil for a string.
    var elementType: ElementType? {
        switch self {
        case .float64: .float64
        case .float32: .float32
        case .int64: .int64
        case .int32: .int32
        case .uint16: .uint16
        case .uint8: .uint8
        case .string: nil
        }
    }

    /// Reads row `row` of `dataset` as values of `type` (integer types without a case of their own widen to int32,
    /// like the outputs jobs declare).
    static func read(_ type: ElementType, row: Int, from dataset: Dataset) throws -> Values {
        switch type {
        case .float64: .float64(try dataset.read(Double.self, rows: row..<row + 1))
        case .float32: .float32(try dataset.read(Float.self, rows: row..<row + 1))
        case .int64: .int64(try dataset.read(Int64.self, rows: row..<row + 1))
        case .uint16: .uint16(try dataset.read(UInt16.self, rows: row..<row + 1))
        case .uint8: .uint8(try dataset.read(UInt8.self, rows: row..<row + 1))
        case .string: .string(try dataset.readStrings(rows: row..<row + 1).first ?? "")
        default: .int32(try dataset.read(Int32.self, rows: row..<row + 1))
        }
    }

    /// Writes the numbers to `rows` of `dataset` (collective in a parallel file).
    func write(to dataset: Dataset, rows: [Range<Int>]) throws {
        switch self {
        case .float64(let v): try dataset.write(v, rows: rows)
        case .float32(let v): try dataset.write(v, rows: rows)
        case .int64(let v): try dataset.write(v, rows: rows)
        case .int32(let v): try dataset.write(v, rows: rows)
        case .uint16(let v): try dataset.write(v, rows: rows)
        case .uint8(let v): try dataset.write(v, rows: rows)
        case .string(let s): try dataset.writeStrings([s], rows: rows)
        }
    }

    /// The number of values (1 for a string).
    public var count: Int {
        switch self {
        case .float64(let v): v.count
        case .float32(let v): v.count
        case .int64(let v): v.count
        case .int32(let v): v.count
        case .uint16(let v): v.count
        case .uint8(let v): v.count
        case .string: 1
        }
    }
}
