import Core

/// Binning of a pattern by `factor` × `factor` blocks of pixels (row-major, blocks in row-major order): counts are
/// summed (so the binned pattern keeps the photon count), CXI bits are OR-ed and a binned pixel is valid only when
/// every one of its pixels is (a bin holding a hot, dead, saturated or padded pixel is masked, as PtyPy users
/// expect of a rebinned mask: 1 = valid only when all `factor²` pixels are). The pixel size grows by `factor`.
public struct PixelBinning: Sendable {
    /// The block side; 1 leaves patterns as they are.
    public let factor: Int
    /// The unbinned pattern's rows and columns (multiples of `factor`).
    public let rows: Int
    public let columns: Int

    /// Binning of `rows` × `columns` patterns by `factor` (which must divide both).
    public init(factor: Int, rows: Int, columns: Int) {
        precondition(factor >= 1 && rows % factor == 0 && columns % factor == 0, "binning \(rows) × \(columns) by \(factor)")
        self.factor = factor
        self.rows = rows
        self.columns = columns
    }

    /// Checks the config keys `roi` (rows and columns of `what`, nil: none) and `bin` (1–64, dividing the roi).
    /// - Throws: ``ConfigError`` at `roi` or `bin`.
    public static func validate(roi: (rows: Int, columns: Int)?, bin: Int, what: String) throws(ConfigError) {
        if let roi {
            try ConfigError.bound(count: roi.rows, key: "roi", 1...16384, why: "\(what) rows")
            try ConfigError.bound(count: roi.columns, key: "roi", 1...16384, why: "\(what) columns")
        }
        try ConfigError.bound(count: bin, key: "bin", 1...64, why: "pixels binned along each side")
        if let roi, roi.rows % bin != 0 || roi.columns % bin != 0 {
            throw ConfigError(key: "bin", "the roi \(roi.rows),\(roi.columns) is not a multiple of bin \(bin) along both sides")
        }
    }

    /// The binned pattern's rows and columns.
    public var binnedRows: Int { rows / factor }
    public var binnedColumns: Int { columns / factor }

    /// Whether binning changes nothing.
    public var isIdentity: Bool { factor == 1 }

    /// Per binned pixel the sum of its block (added in row-major order in double precision, then rounded once).
    public func sum(_ values: [Float]) -> [Float] {
        isIdentity ? values : reduce(values, 0.0, { $0 + Double($1) }, { Float($0) })
    }

    /// Per binned pixel the sum of its block.
    public func sum(_ values: [Double]) -> [Double] {
        isIdentity ? values : reduce(values, 0.0, +, { $0 })
    }

    /// Per binned pixel the mean of its block (a gain map).
    public func mean(_ values: [Float]) -> [Float] {
        let n = Double(factor * factor)
        return isIdentity ? values : reduce(values, 0.0, { $0 + Double($1) }, { Float($0 / n) })
    }

    /// Per binned pixel the OR of its block's CXI bits.
    public func union(_ bits: [Int32]) -> [Int32] {
        isIdentity ? bits : reduce(bits, Int32(0), |, { $0 })
    }

    /// Per binned pixel 1 when every pixel of its block is non-zero (valid), else 0.
    public func all(_ valid: [UInt8]) -> [UInt8] {
        isIdentity ? valid : reduce(valid, UInt8(1), { $0 & ($1 != 0 ? 1 : 0) }, { $0 })
    }

    /// Per binned pixel: true when any pixel of its block is.
    public func any(_ flags: [Bool]) -> [Bool] {
        isIdentity ? flags : reduce(flags, false, { $0 || $1 }, { $0 })
    }

    /// Folds each block of `values` (row-major, `rows` × `columns`) with `add` from `start`, in row-major order.
    private func reduce<T, A>(_ values: [T], _ start: A, _ add: (A, T) -> A, _ finish: (A) -> T) -> [T] {
        precondition(values.count == rows * columns, "binning \(values.count) values as \(rows) × \(columns)")
        let (br, bc, n) = (binnedRows, binnedColumns, factor)
        var out: [T] = []
        out.reserveCapacity(br * bc)
        values.withUnsafeBufferPointer { v in
            for r in 0..<br {
                for c in 0..<bc {
                    var a = start
                    for i in 0..<n {
                        let row = (r * n + i) * columns + c * n
                        for j in 0..<n { a = add(a, v[row + j]) }
                    }
                    out.append(finish(a))
                }
            }
        }
        return out
    }
}
