/// pyFAI's geometry (docs/reference/integration.md §4): distance and PONI in m along dim1 (rows) and dim2 (columns), rotations
/// in rad, pixel sizes in m; pixel (i, j) has its centre at ((i + 0.5)·pixel1, (j + 0.5)·pixel2).
public struct PONIGeometry: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var distance: Double
    public var poni1: Double
    public var poni2: Double
    public var rot1: Double
    public var rot2: Double
    public var rot3: Double
    public var pixel1: Double
    public var pixel2: Double
}
