import Foundation

/// TomoPhantom's parallel-beam geometry for an N³ phantom in the unit cube [−1, 1]³ (as NoStripesNet uses it).
///
/// Sinograms are stored `[row, angle, column]`. Detector coordinates descend: column j sits at
/// U_j = U_max − j·2U_max/(H−1) with U_max = H/(N+1), row k at V_k = V_max − k·2V_max/(V−1) with V_max = V/(N+1)
/// (TomoPhantom `TomoP3DModelSino_core.c`). Angles are numpy's `linspace(0, 179.9, A, dtype=float32)`.
public struct TomoGeometry: Sendable, Equatable {
    /// The phantom size N.
    public let size: Int
    /// Detector rows V (one sinogram each).
    public let rows: Int
    /// Detector columns H.
    public let columns: Int
    /// Projection angles in degrees, as float32 (the precision TomoPhantom is given).
    public let anglesDegrees: [Float]

    /// NoStripesNet's geometry: V = N, H = floor(√2·N), A = floor(π·N/2) angles over [0, 179.9]°.
    public init(size: Int) {
        self.init(size: size, rows: size, columns: Int((2.0).squareRoot() * Double(size)),
                  angleCount: Int(0.5 * Double.pi * Double(size)))
    }

    /// Any detector and angle count (the golden values of the reference use N = 16, H = 22, A = 25).
    public init(size: Int, rows: Int, columns: Int, angleCount: Int) {
        precondition(size > 0 && rows > 1 && columns > 1 && angleCount > 1, "degenerate tomography geometry")
        self.size = size
        self.rows = rows
        self.columns = columns
        anglesDegrees = Self.linspaceFloat32(0, 179.9, count: angleCount)
    }

    public var angleCount: Int { anglesDegrees.count }
    /// Values in one sinogram, A·H.
    public var sinogramCount: Int { angleCount * columns }
    /// Values in one tomogram, V·A·H.
    public var volumeCount: Int { rows * sinogramCount }

    public var columnMax: Double { Double(columns) / Double(size + 1) }
    public var columnStep: Double { 2 * columnMax / Double(columns - 1) }
    public var rowMax: Double { Double(rows) / Double(size + 1) }
    public var rowStep: Double { 2 * rowMax / Double(rows - 1) }

    /// U_j, the coordinate of column j.
    public func columnCoordinate(_ j: Int) -> Double { columnMax - Double(j) * columnStep }
    /// V_k, the coordinate of row k.
    public func rowCoordinate(_ k: Int) -> Double { rowMax - Double(k) * rowStep }

    /// The angles in radians, from the float32 degrees.
    public var anglesRadians: [Double] { anglesDegrees.map { Double($0) * .pi / 180 } }

    /// numpy's `linspace(start, stop, count, dtype=float32)`: computed in double (i·step + start, the last value set
    /// to `stop`), then rounded to float.
    public static func linspaceFloat32(_ start: Double, _ stop: Double, count: Int) -> [Float] {
        let step = (stop - start) / Double(count - 1)
        return (0..<count).map { Float($0 == count - 1 ? stop : Double($0) * step + start) }
    }
}
