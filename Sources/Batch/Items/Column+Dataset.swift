import Core
import HDF5

extension Column {
    /// Reads row `row` of `dataset` as a column of `type` (integer types without a case of their own widen to
    /// int32, like the outputs jobs declare).
    static func read(_ type: ElementType, row: Int, from dataset: Dataset) throws -> Column {
        try read(type, rows: row..<row + 1, from: dataset)
    }

    /// Reads rows `rows` of `dataset` back to back as a column of `type`.
    static func read(_ type: ElementType, rows: Range<Int>, from dataset: Dataset) throws -> Column {
        switch type {
        case .float64: .float64(try dataset.read(Double.self, rows: rows))
        case .float32: .float32(try dataset.read(Float.self, rows: rows))
        case .int64: .int64(try dataset.read(Int64.self, rows: rows))
        case .uint16: .uint16(try dataset.read(UInt16.self, rows: rows))
        case .uint8: .uint8(try dataset.read(UInt8.self, rows: rows))
        case .string: .strings(try dataset.readStrings(rows: rows))
        default: .int32(try dataset.read(Int32.self, rows: rows))
        }
    }

    /// Writes the values to `rows` of `dataset` (collective in a parallel file).
    func write(to dataset: Dataset, rows: [Range<Int>]) throws {
        switch self {
        case .float64(let v): try dataset.write(v, rows: rows)
        case .float32(let v): try dataset.write(v, rows: rows)
        case .int64(let v): try dataset.write(v, rows: rows)
        case .int32(let v): try dataset.write(v, rows: rows)
        case .uint16(let v): try dataset.write(v, rows: rows)
        case .uint8(let v): try dataset.write(v, rows: rows)
        case .strings(let s): try dataset.writeStrings(s, rows: rows)
        }
    }
}
