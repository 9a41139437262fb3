/// A pixel-array detector model.
public struct DetectorModel: Sendable, Equatable {
    public let name: String
    public let rows: Int
    public let columns: Int
    /// Pixel pitch in m.
    public let pixelSize: Double
    /// Rows of the insensitive gaps between modules.
    public let gapRows: [Range<Int>]
    /// Columns of the insensitive gaps between modules.
    public let gapColumns: [Range<Int>]

    /// Dectris Eiger 1M (pyFAI `_dectris.py`): 1065 × 1030 pixels of 75 µm, two modules of 514 × 1030 separated by
    /// 37 rows.
    public static let eiger1M = DetectorModel(name: "eiger1m", rows: 1065, columns: 1030, pixelSize: 75e-6,
                                              gapRows: [514..<551], gapColumns: [])
    public static let all = [eiger1M]
    public static func named(_ name: String) -> DetectorModel? { all.first { $0.name == name } }
}
