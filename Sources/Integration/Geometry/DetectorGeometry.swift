/// Where the detector sits: SAXSDog's Fit2D-style tilt model or pyFAI's PONI rotations.
public enum DetectorGeometry: Sendable, Equatable {
    case fit2d(Fit2DGeometry)
    case poni(PONIGeometry)

    public var rows: Int {
        switch self {
        case .fit2d(let g): g.rows
        case .poni(let g): g.rows
        }
    }

    public var columns: Int {
        switch self {
        case .fit2d(let g): g.columns
        case .poni(let g): g.columns
        }
    }
}
