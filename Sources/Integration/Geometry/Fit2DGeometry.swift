/// SAXSDog's geometry (docs/reference/integration.md §3): beam centre `[y from the bottom, x]` in pixels, distance in mm,
/// square pixels, Fit2D tilt angle and tilt-plane rotation in degrees.
public struct Fit2DGeometry: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Beam centre row, counted from the bottom edge (SAXSDog `BeamCenter[0]`).
    public var beamCenterY: Double
    /// Beam centre column (SAXSDog `BeamCenter[1]`).
    public var beamCenterX: Double
    public var distanceMM: Double
    public var pixelMM: Double
    public var tiltDeg: Double
    public var tiltRotationDeg: Double

    public init(rows: Int, columns: Int, beamCenterY: Double, beamCenterX: Double, distanceMM: Double,
                pixelMM: Double, tiltDeg: Double, tiltRotationDeg: Double) {
        self.rows = rows
        self.columns = columns
        self.beamCenterY = beamCenterY
        self.beamCenterX = beamCenterX
        self.distanceMM = distanceMM
        self.pixelMM = pixelMM
        self.tiltDeg = tiltDeg
        self.tiltRotationDeg = tiltRotationDeg
    }
}
