import Foundation

extension IntegrationMatrix {
    /// A GISAXS cut (SAXSDog `GISAXSSlices.slice`): Direction x averages the band's unmasked pixels of each
    /// column (one bin per column), Direction y those of each row (one bin per row, top-down), all with weight 1
    /// and no oversampling or polarization correction, as SAXSDog does.
    ///
    /// The scale has no half-pixel offset (unlike the radial grid). With k the bin's pixel index along the cut,
    /// c the beam centre along it (column `BeamCenter[1]`, or row `Imagesize[0] − BeamCenter[0]` from the top),
    /// p the pixel size and d the distance: the exit angle is αf = atan((k − c)·p/d) and
    /// q_v = −(2π/λ)(sin αf + sin αi) (Vertical); the in-plane angle is 2θf = atan((k − c)·p/d) and
    /// q_h = (4π/λ)·sin(2θf/2), signed (InPlane). λ is in SAXSDog's Å* (0.100001495 nm), q in nm⁻¹.
    /// - Parameters:
    ///   - valid: per pixel, row-major, false where masked; nil for none.
    public init(cut: SliceSettings, geometry: Fit2DGeometry, wavelength: Double, valid: [Bool]?) {
        let rows = geometry.rows, columns = geometry.columns
        var pixel: [Int32] = [], bin: [Int32] = []
        if let band = cut.band(rows: rows, columns: columns) {
            // Ascending pixel order: rows top-down, columns left to right.
            for i in cut.direction == .x ? band : 0...(rows - 1) {
                for j in cut.direction == .x ? 0...(columns - 1) : band where valid?[i * columns + j] ?? true {
                    pixel.append(Int32(i * columns + j))
                    bin.append(Int32(cut.direction == .x ? j : i))
                }
            }
        }
        let (bins, centre) = cut.direction == .x
            ? (columns, geometry.beamCenterX) : (rows, Double(rows) - geometry.beamCenterY)
        let k0 = 2 * Double.pi / (wavelength * Calibration.angstromStar)
        let sinIncident = sin(cut.incidentAngleDeg * .pi / 180)
        let centers = (0..<bins).map { (k: Int) -> Double in
            let angle = atan((Double(k) - centre) * geometry.pixelMM / geometry.distanceMM)
            return switch cut.plane {
            case .vertical: -k0 * (sin(angle) + sinIncident)
            case .inPlane: 2 * k0 * sin(angle / 2)
            }
        }
        self.init(axis: .cut(cut.plane), rows: rows, columns: columns, centers: centers, scale: 1,
                  triplets: (pixel, bin, [Float](repeating: 1, count: pixel.count)), weightScale: 1, correction: nil)
    }
}
