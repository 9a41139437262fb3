import Foundation

/// A sparse matrix in compressed-row form, applied once per curve.
public struct SparseMatrix: Sendable {
    public private(set) var rowStart: [Int] = [0]
    public private(set) var columns: [Int32] = []
    public private(set) var values: [Double] = []
    public let columnCount: Int

    public init(columnCount: Int) { self.columnCount = columnCount }

    public var rowCount: Int { rowStart.count - 1 }
    /// The bytes its arrays hold.
    public var byteCount: Int { rowStart.count * 8 + columns.count * 4 + values.count * 8 }

    /// Appends a row from a dense accumulator, keeping the non-zero entries of `lower..<upper` (empty when
    /// `lower >= upper`), and zeroes them in the accumulator for the next row.
    mutating func appendRow(_ dense: inout [Double], from lower: Int, to upper: Int) {
        for j in lower..<max(lower, upper) where dense[j] != 0 {
            columns.append(Int32(j))
            values.append(dense[j])
            dense[j] = 0
        }
        rowStart.append(columns.count)
    }

    /// The rows as bytes, for ``appendRows(encoded:)`` on another process: the row count, each row's entry count,
    /// then the columns and the values (their bit patterns: nothing is rounded on the way).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 * (1 + rowCount) + 12 * values.count)
        withUnsafeBytes(of: UInt64(rowCount).littleEndian) { bytes += $0 }
        for i in 0..<rowCount {
            withUnsafeBytes(of: UInt64(rowStart[i + 1] - rowStart[i]).littleEndian) { bytes += $0 }
        }
        columns.withUnsafeBytes { bytes += $0 }
        values.withUnsafeBytes { bytes += $0 }
        return bytes
    }

    /// Appends the rows of an ``encoded()`` matrix with the same column count.
    public mutating func appendRows(encoded bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            let rows = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
            var entries = 0
            for i in 0..<rows {
                entries += Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * (1 + i), as: UInt64.self)))
                rowStart.append(columns.count + entries)
            }
            let columnBytes = 8 * (1 + rows), valueBytes = columnBytes + 4 * entries
            precondition(raw.count == valueBytes + 8 * entries, "a sparse matrix encoding of the wrong length")
            columns += (0..<entries).map { raw.loadUnaligned(fromByteOffset: columnBytes + 4 * $0, as: Int32.self) }
            values += (0..<entries).map { raw.loadUnaligned(fromByteOffset: valueBytes + 8 * $0, as: Double.self) }
        }
    }

    /// y = A·x, for `x` of ``columnCount`` values into `y` of ``rowCount``.
    public func apply(_ x: Span<Double>, into y: inout MutableSpan<Double>) {
        precondition(x.count == columnCount && y.count == rowCount)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                columns.withUnsafeBufferPointer { cols in
                    values.withUnsafeBufferPointer { vals in
                        for i in 0..<rowCount {
                            var sum = 0.0
                            for k in rowStart[i]..<rowStart[i + 1] { sum += vals[k] * x[Int(cols[k])] }
                            y[i] = sum
                        }
                    }
                }
            }
        }
    }

    /// y = A·x as a new array.
    public func apply(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: rowCount)
        var out = y.mutableSpan
        apply(x.span, into: &out)
        return y
    }

    /// A·B for B with `columnCount` rows.
    public func multiplied(by b: SparseMatrix) -> SparseMatrix {
        precondition(columnCount == b.rowCount)
        var result = SparseMatrix(columnCount: b.columnCount)
        var dense = [Double](repeating: 0, count: b.columnCount)
        for i in 0..<rowCount {
            var lower = Int.max, upper = 0
            for k in rowStart[i]..<rowStart[i + 1] {
                let row = Int(columns[k]), a = values[k]
                for m in b.rowStart[row]..<b.rowStart[row + 1] {
                    let j = Int(b.columns[m])
                    dense[j] += a * b.values[m]
                    lower = min(lower, j)
                    upper = max(upper, j + 1)
                }
            }
            result.appendRow(&dense, from: lower, to: upper)
        }
        return result
    }
}
