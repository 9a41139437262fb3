import Core
import Foundation
import LibTIFF

/// pyFAI's per-pixel normalization of a PONI calibration (pyFAI `preproc`): each pixel's signal is raw − dark and
/// its norm flat × solid angle × polarization, and a bin's intensity is Σ c·(raw − dark) / Σ c·norm over its
/// pixels with split fractions c, its standard error √(Σ c²·max(raw, 1)) / Σ c·norm (the Poisson model).
/// Pixels whose norm is 0, negative or not finite are left out, as pyFAI leaves out pixels of norm 0.
public struct PixelNormalization: Sendable {
    /// flat × solid angle × polarization per pixel, row-major.
    public let norm: [Float]
    /// The dark frame per pixel; nil for none.
    public let dark: [Float]?

    public init(norm: [Float], dark: [Float]?) {
        self.norm = norm
        self.dark = dark
    }

    /// The normalization `corrections` give for `calibration`; nil when none applies (all factors 1, no dark),
    /// which keeps the mean of the pixel values per bin (equal to pyFAI's without corrections).
    /// - Throws: ``CalibrationError`` for corrections a SAXSDog calibration does not take, `FormatError` naming a
    ///   dark or flat file that cannot be read or has another size than the detector (both sizes given).
    public static func make(_ corrections: PyFAICorrections, calibration: Calibration) throws -> PixelNormalization? {
        guard case .poni(let poni) = calibration.geometry else {
            let refused = [(corrections.solidAngle == true, "--solid-angle"),
                           (corrections.polarizationFactor != nil, "--polarization"),
                           (corrections.dark != nil, "--dark"), (corrections.flat != nil, "--flat")]
            if let flag = refused.first(where: { $0.0 })?.1 {
                throw CalibrationError(calibration.file, "\(flag) applies to PONI calibrations only; a SAXSDog "
                                       + "calibration keeps SAXSDog's behaviour (no solid-angle, dark or flat "
                                       + "correction; polarization from its PolarizationCorrection)")
            }
            return nil
        }
        let rows = poni.rows, columns = poni.columns
        let dark = try corrections.dark.map { try averagedFrame($0, role: "dark", rows: rows, columns: columns) }
        let flat = try corrections.flat.map { try averagedFrame($0, role: "flat", rows: rows, columns: columns) }
        let solidAngle = corrections.solidAngle(poni: true)
        guard solidAngle || corrections.polarizationFactor != nil || flat != nil || dark != nil else { return nil }
        let geometry = ScatteringGeometry(calibration.geometry)
        var norm = flat ?? [Float](repeating: 1, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                // pyFAI evaluates its corrections at pixel centres.
                let row = Double(i) + 0.5, column = Double(j) + 0.5
                var factor = 1.0
                if solidAngle {
                    // pyFAI Geometry.diffSolidAngle: cos³α with cos α = d/√(d² + p1² + p2²), (p1, p2) the pixel's
                    // position from the PONI in the detector plane.
                    let p1 = row * poni.pixel1 - poni.poni1, p2 = column * poni.pixel2 - poni.poni2
                    let cosine = poni.distance / (poni.distance * poni.distance + p1 * p1 + p2 * p2).squareRoot()
                    factor *= cosine * cosine * cosine
                }
                if let f = corrections.polarizationFactor {
                    let a = geometry.angles(row: row, column: column)
                    factor *= Self.polarization(twoTheta: a.twoTheta, chi: a.azimuth, factor: f)
                }
                norm[i * columns + j] = Float(Double(norm[i * columns + j]) * factor)
            }
        }
        return PixelNormalization(norm: norm, dark: dark)
    }

    /// pyFAI's polarization (Geometry.polarization, axis offset 0):
    /// P = ½·(1 + cos²2θ − f·cos(2χ)·(1 − cos²2θ)); intensities are divided by it.
    public static func polarization(twoTheta: Double, chi: Double, factor f: Double) -> Double {
        let c2 = cos(twoTheta) * cos(twoTheta)
        return 0.5 * (1 + c2 - f * cos(2 * chi) * (1 - c2))
    }

    /// The frame of a dark or flat file as integrate reads TIFF frames, the mean of its pages when it holds several.
    static func averagedFrame(_ path: String, role: String, rows: Int, columns: Int) throws -> [Float] {
        let pages = try TIFF.pageCount(of: path)
        var sum = [Double](repeating: 0, count: rows * columns)
        for page in 0..<max(1, pages) {
            let image = try TIFF.read(path, page: page)
            guard image.rows == rows, image.columns == columns else {
                throw FormatError(file: path, message: "the \(role) frame\(pages > 1 ? " (page \(page))" : "") is "
                                  + "\(image.rows) × \(image.columns) pixels; the calibration's detector is "
                                  + "\(rows) × \(columns)")
            }
            for p in sum.indices { sum[p] += Double(image.pixels[p]) }
        }
        return sum.map { Float($0 / Double(max(1, pages))) }
    }
}
