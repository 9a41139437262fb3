/// The part of each stored pattern that `ptycho-qc` scores (the original kit's `evaluate.py --roi --bin`): a window
/// of `roi` centred on pixel (rows / 2, columns / 2) as ptypy crops (padded with invalid pixels past the edge,
/// never shifted), then sums of `bin` × `bin` pixels (``PixelBinning``: a bin is valid only when all its pixels are).
public struct PatternView: Sendable {
    /// The window on the stored pattern.
    public let window: FrameWindow
    /// The binning of the window.
    public let binning: PixelBinning

    /// The view of `rows` × `columns` patterns; nil `roi` keeps the whole pattern. The window's sides must be
    /// multiples of `bin` (checked by the caller).
    public init(rows: Int, columns: Int, roi: (rows: Int, columns: Int)?, bin: Int) {
        window = FrameWindow(frameRows: rows, frameColumns: columns, orientation: Orientation(), roi: roi,
                             centre: (Double(rows / 2), Double(columns / 2)))
        binning = PixelBinning(factor: bin, rows: window.rows, columns: window.columns)
    }

    /// The scored pattern's rows and columns.
    public var rows: Int { binning.binnedRows }
    public var columns: Int { binning.binnedColumns }

    /// Whether patterns are scored as stored.
    public var isIdentity: Bool { window.isWholeFrame && binning.isIdentity }

    /// A stored pattern as scored: windowed (0 on padding), then binned (sums).
    public func pattern(_ values: [Float]) -> [Float] {
        isIdentity ? values : binning.sum(window.gather(values, fill: 0))
    }

    /// A per-pixel valid mask as scored: padding is invalid; a bin is valid when all its pixels are.
    public func valid(_ flags: [Bool]) -> [Bool] {
        isIdentity ? flags : binning.any(window.gather(flags, fill: false).map(!)).map(!)
    }

    /// A static bad-pixel mask as scored (nil: none): padding is bad; a bin is bad when any of its pixels is.
    /// Nil when there is neither a mask nor padding.
    public func staticBad(_ flags: [Bool]?) -> [Bool]? {
        guard let flags else {
            return window.padded > 0 ? binning.any(window.sources.map { $0 < 0 }) : nil
        }
        return isIdentity ? flags : binning.any(window.gather(flags, fill: true))
    }
}
