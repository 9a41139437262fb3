/// A GISAXS cut (SAXSDog `Slices[]`): a band of rows (Direction x) or columns (Direction y).
public struct SliceSettings: Sendable, Equatable {
    /// x: a band of rows, one bin per column; y: a band of columns, one bin per row.
    public enum Direction: String, Sendable { case x, y }
    /// The axis of the cut: the in-plane q_h or the vertical q_v.
    public enum Plane: String, Sendable { case inPlane = "InPlane", vertical = "Vertical" }
    public var direction: Direction
    public var plane: Plane
    /// Pixels, counted from the bottom (rows) or the left (columns), 1-based as SAXSDog's code counts them.
    public var cutPosition: Int
    public var cutMargin: Int
    public var incidentAngleDeg: Double
    /// Index into the masks, or nil for none (SAXSDog's -1, which there masks everything).
    public var maskIndex: Int?
}

extension SliceSettings {
    /// The detector rows (Direction x) or columns (Direction y) the cut averages, as 0-based indices from the top
    /// or the left, clipped to the detector: CutPosition ± CutMargin, rows counted 1-based from the bottom and
    /// columns 1-based from the left, as SAXSDog's `GISAXSSlices` counts them (docs/reference/integration.md §8).
    public func band(rows: Int, columns: Int) -> ClosedRange<Int>? {
        let (centre, extent) = direction == .x ? (rows - cutPosition, rows) : (cutPosition - 1, columns)
        let lower = max(0, centre - cutMargin), upper = min(extent - 1, centre + cutMargin)
        return lower <= upper ? lower...upper : nil
    }
}
