/// One orientation of a detector frame as ptypy applies it: transpose, then flip up–down, then left–right, on the
/// last two axes only (never the frame axis, the original kit's defect). ptypy's integer code is
/// 4·transpose + 2·flipud + fliplr (ptypy/core/data.py, `orientation`).
public struct Orientation: Sendable, Equatable {
    public var transpose: Bool
    public var flipUpDown: Bool
    public var flipLeftRight: Bool

    public init(transpose: Bool = false, flipUpDown: Bool = false, flipLeftRight: Bool = false) {
        self.transpose = transpose
        self.flipUpDown = flipUpDown
        self.flipLeftRight = flipLeftRight
    }

    /// ptypy's code 0–7.
    public var code: Int { (transpose ? 4 : 0) + (flipUpDown ? 2 : 0) + (flipLeftRight ? 1 : 0) }

    /// The orientation with ptypy code `code` (0–7).
    public init(code: Int) {
        self.init(transpose: code & 4 != 0, flipUpDown: code & 2 != 0, flipLeftRight: code & 1 != 0)
    }

    /// A clockwise rotation by `degrees` (0, 90, 180, 270) followed by a flip (`none`, `h` mirrors left–right,
    /// `v` up–down, `hv` both), as one ptypy orientation: the one of the eight that moves every pixel alike.
    public init(rotateClockwise degrees: Int, flip: String) {
        // Where the corner pixels of a 2 × 3 frame end up identifies the transform among the eight.
        let wanted = Self.map(rows: 2, columns: 3) { r, c, rows, columns in
            var (r, c, rows, columns) = (r, c, rows, columns)
            for _ in 0..<(degrees / 90 % 4) { (r, c, rows, columns) = (c, rows - 1 - r, columns, rows) }  // 90° cw
            if flip.contains("h") { c = columns - 1 - c }
            if flip.contains("v") { r = rows - 1 - r }
            return (r, c)
        }
        let code = (0..<8).first { Orientation(code: $0).destinations(rows: 2, columns: 3) == wanted } ?? 0
        self.init(code: code)
    }

    /// The extent of a `rows` × `columns` frame once oriented.
    public func orientedSize(rows: Int, columns: Int) -> (rows: Int, columns: Int) {
        transpose ? (columns, rows) : (rows, columns)
    }

    /// The source pixel (row, column) of oriented pixel (`r`, `c`) of a frame of `rows` × `columns` (source size).
    public func source(r: Int, c: Int, rows: Int, columns: Int) -> (row: Int, column: Int) {
        let oriented = orientedSize(rows: rows, columns: columns)
        let p = flipUpDown ? oriented.rows - 1 - r : r
        let q = flipLeftRight ? oriented.columns - 1 - c : c
        return transpose ? (q, p) : (p, q)
    }

    /// For each source pixel (row-major), its oriented (row, column).
    func destinations(rows: Int, columns: Int) -> [[Int]] {
        let size = orientedSize(rows: rows, columns: columns)
        var out = [[Int]](repeating: [], count: rows * columns)
        for r in 0..<size.rows {
            for c in 0..<size.columns {
                let s = source(r: r, c: c, rows: rows, columns: columns)
                out[s.row * columns + s.column] = [r, c]
            }
        }
        return out
    }

    private static func map(rows: Int, columns: Int,
                            _ transform: (Int, Int, Int, Int) -> (Int, Int)) -> [[Int]] {
        (0..<rows * columns).map { i in
            let d = transform(i / columns, i % columns, rows, columns)
            return [d.0, d.1]
        }
    }
}
