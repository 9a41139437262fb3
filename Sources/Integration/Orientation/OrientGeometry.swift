import Core
import Foundation

/// The geometry `orient` maps pixels with: pyFAI's PONI model (a SAXSDog calibration is converted to it, so χ is
/// pyFAI's `chi` in every case) and the wavelength.
///
/// Pixel-centre convention: pixel (i, j) (row i from the top of the frame as stored, column j) has its centre at
/// (i + 0.5, j + 0.5) pixel sides from the corner, as in pyFAI (`setFit2D` puts a beam centre c at c pixel sides,
/// so an ID02 `Center_1 = 100` lies between columns 99 and 100). χ = atan2(t1, t2): 0 along +columns, +90° along
/// +rows.
public struct OrientGeometry: Sendable, Equatable {
    public var poni: PONIGeometry
    /// Å.
    public var wavelength: Double

    public init(poni: PONIGeometry, wavelength: Double) {
        self.poni = poni
        self.wavelength = wavelength
    }

    /// A SAXSDog or PONI calibration's geometry (SAXSDog's through pyFAI's Fit2D conversion).
    public init(calibration: Calibration) {
        switch calibration.geometry {
        case .poni(let g): poni = g
        case .fit2d(let g): poni = PONIGeometry(fit2d: g)
        }
        wavelength = calibration.wavelength
    }

    /// The geometry an ESRF header states (ID02 HDF5 or EDF; docs/reference/orientation.md §1.1): `Center_1`,
    /// `Center_2` (beam centre, pixels, along columns and rows), `PSize_1`, `PSize_2` (pixel sides, m),
    /// `SampleDistance` and `WaveLength` (m); the detector is taken perpendicular to the beam (pyFAI `setFit2D`
    /// without tilt).
    /// - Throws: ``FormatError`` naming `source`, the key missing or not a number, and the keys the header has.
    public init(header: [String: String], source: String, rows: Int, columns: Int) throws(FormatError) {
        func number(_ key: String) throws(FormatError) -> Double {
            guard let text = header[key] else {
                throw FormatError(file: source, message: "the header has no \(key), needed for the geometry without "
                                  + "--calibration (it has \(header.keys.sorted().joined(separator: ", ")))")
            }
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw FormatError(file: source, message: "header \(key) = '\(text)' is not a number")
            }
            return value
        }
        let size1 = try number("PSize_1"), size2 = try number("PSize_2")
        let centre1 = try number("Center_1"), centre2 = try number("Center_2")
        let distance = try number("SampleDistance"), wavelength = try number("WaveLength")
        for (value, key, upper) in [(size1, "PSize_1", 1e-2), (size2, "PSize_2", 1e-2), (distance, "SampleDistance", 1000),
                                    (wavelength, "WaveLength", 1e-8)] where !(value > 0 && value <= upper) {
            throw FormatError(file: source, message: "header \(key) = \(value) m is out of range (0, \(upper)] m")
        }
        poni = PONIGeometry(rows: rows, columns: columns, distance: distance, poni1: centre2 * size2,
                            poni2: centre1 * size1, rot1: 0, rot2: 0, rot3: 0, pixel1: size2, pixel2: size1)
        self.wavelength = wavelength * 1e10
    }

    /// |q| in Å⁻¹ from the full scattering angle: 4π sin(2θ/2)/λ.
    @inline(__always)
    public func q(twoTheta: Double) -> Double { 4 * Double.pi * sin(twoTheta / 2) / wavelength }

    /// The solid angle of the pixel centred at (`row`, `column`) relative to one on the normal through the PONI:
    /// cos³ α with cos α = L/√(L² + p1² + p2²) (pyFAI `Geometry.solidAngleArray`, order 3).
    public func solidAngle(row: Double, column: Double) -> Double {
        let p1 = row * poni.pixel1 - poni.poni1, p2 = column * poni.pixel2 - poni.poni2, l = poni.distance
        let cosine = l / (l * l + p1 * p1 + p2 * p2).squareRoot()
        return cosine * cosine * cosine
    }
}
