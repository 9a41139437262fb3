/// The output pattern's pixels on the raw frame: the orientation, then a window of the oriented frame centred on
/// a pixel. Pixels of the window beyond the frame are padding (masked as missing), never a shifted window: the
/// original kit silently clamped the window, which moves the optical axis.
public struct FrameWindow: Sendable {
    /// Output rows and columns.
    public let rows: Int
    public let columns: Int
    /// The window's first row and column on the oriented frame (may be negative).
    public let origin: (row: Int, column: Int)
    /// Per output pixel (row-major): the raw frame's pixel index, or −1 for padding.
    public let sources: [Int]
    /// The number of padding pixels.
    public let padded: Int
    /// Whether the window is the raw frame itself (no orientation, no ROI that moves or pads it): then the output
    /// is the frame as it is, no gather.
    public let isWholeFrame: Bool

    /// The window of `roi` (nil: the whole oriented frame) centred on oriented pixel (`centre.row`,
    /// `centre.column`), rounded to the nearest pixel, on frames of `frameRows` × `frameColumns`. As in ptypy the
    /// centre lands on output pixel (rows / 2, columns / 2).
    public init(frameRows: Int, frameColumns: Int, orientation: Orientation, roi: (rows: Int, columns: Int)?,
                centre: (row: Double, column: Double)) {
        let oriented = orientation.orientedSize(rows: frameRows, columns: frameColumns)
        let size = roi ?? oriented
        rows = size.rows
        columns = size.columns
        origin = roi == nil ? (0, 0)
            : (Int((centre.row).rounded(.toNearestOrAwayFromZero)) - size.rows / 2,
               Int((centre.column).rounded(.toNearestOrAwayFromZero)) - size.columns / 2)
        var sources = [Int](repeating: -1, count: rows * columns)
        var padded = 0
        for r in 0..<rows {
            for c in 0..<columns {
                let (orow, ocol) = (origin.row + r, origin.column + c)
                guard (0..<oriented.rows).contains(orow), (0..<oriented.columns).contains(ocol) else {
                    padded += 1
                    continue
                }
                let s = orientation.source(r: orow, c: ocol, rows: frameRows, columns: frameColumns)
                sources[r * columns + c] = s.row * frameColumns + s.column
            }
        }
        self.sources = sources
        self.padded = padded
        isWholeFrame = rows * columns == frameRows * frameColumns && sources.enumerated().allSatisfy { $0.offset == $0.element }
    }

    /// The raw-grid values `values` on the output grid, `fill` on padding.
    public func gather<T>(_ values: [T], fill: T) -> [T] {
        sources.map { $0 < 0 ? fill : values[$0] }
    }

    /// The output centre in pixels (ptypy's `center` of the written frames).
    public var outputCentre: (row: Int, column: Int) { (rows / 2, columns / 2) }
}
