import Foundation

/// The quality-control features of one diffraction pattern (a position of an ingested scan), computed over its
/// valid pixels; pure arithmetic in pixel order, in double precision.
///
/// The centre is ptypy's for a cropped pattern, pixel `(rows / 2, columns / 2)`; with `w = max(I, 0)` on valid
/// pixels: the centre of mass `Σ w·(r − cy) / Σ w` (px), the radial moments `Σ w·ρ / Σ w` and `√(Σ w·ρ² / Σ w)`
/// with `ρ` the distance to the centre (px), and the speckle contrast `σ / μ` of the valid intensities (population
/// standard deviation). The embedding is the `side × side` block mean of `log(1 + w)` over valid pixels (blocks
/// `⌊k·rows/side⌋ ..< ⌊(k+1)·rows/side⌋`), 0 for a block without any.
public struct FrameFeatures: Sendable, Equatable {
    public var total = 0.0
    public var maximum = 0.0
    /// Pixels invalid for this position but not statically masked (ptycho-ingest's saturation).
    public var saturated = 0
    public var comRowPx = 0.0
    public var comColumnPx = 0.0
    public var radialMeanPx = 0.0
    public var radialRMSPx = 0.0
    public var contrast = 0.0
    public var embedding: [Double] = []

    /// The names of ``stored``'s values, in order (`ptycho-ingest --qc` writes them as `/ptycho/qc_features`).
    public static let storedColumns = ["total", "max", "saturated", "com_y_px", "com_x_px", "radial_mean_px",
                                       "radial_rms_px", "contrast"]

    /// The scalar features in the order of ``storedColumns``.
    public var stored: [Double] {
        [total, maximum, Double(saturated), comRowPx, comColumnPx, radialMeanPx, radialRMSPx, contrast]
    }

    /// The features as ``stored`` gave them, with their embedding.
    public init(stored v: [Double], embedding: [Double]) {
        (total, maximum, saturated, comRowPx, comColumnPx) = (v[0], v[1], Int(v[2]), v[3], v[4])
        (radialMeanPx, radialRMSPx, contrast) = (v[5], v[6], v[7])
        self.embedding = embedding
    }

    /// log10(1 + total): the STXM value.
    public var logTotal: Double { log10(1 + max(total, 0)) }

    /// The features of `pattern` (`rows` × `columns`, row-major).
    /// - Parameters:
    ///   - valid: per pixel, whether it counts (nil: all).
    ///   - staticBad: per pixel, a static mask (nil: none); invalid pixels that are not statically bad are
    ///     counted as saturated.
    ///   - side: the embedding's side.
    public init<C: Collection>(pattern: C, rows: Int, columns: Int, valid: [Bool]?, staticBad: [Bool]?,
                               side: Int) where C.Element == Float, C.Index == Int {
        let cy = Double(rows / 2), cx = Double(columns / 2), start = pattern.startIndex
        var (weight, sumRow, sumColumn, sumRho, sumRho2) = (0.0, 0.0, 0.0, 0.0, 0.0)
        var (count, sum, sum2) = (0, 0.0, 0.0)
        var blockSum = [Double](repeating: 0, count: side * side), blockCount = [Int](repeating: 0, count: side * side)
        maximum = -Double.infinity
        for r in 0..<rows {
            let dr = Double(r) - cy, br = r * side / rows
            for c in 0..<columns {
                let i = r * columns + c
                guard valid?[i] ?? true else {
                    if !(staticBad?[i] ?? false) { saturated += 1 }
                    continue
                }
                let v = Double(pattern[start + i]), w = max(v, 0), dc = Double(c) - cx
                count += 1
                sum += v
                sum2 += v * v
                maximum = max(maximum, v)
                weight += w
                sumRow += w * dr
                sumColumn += w * dc
                let rho2 = dr * dr + dc * dc
                sumRho += w * rho2.squareRoot()
                sumRho2 += w * rho2
                let b = br * side + c * side / columns
                blockSum[b] += log1p(w)
                blockCount[b] += 1
            }
        }
        total = sum
        if count == 0 { maximum = 0 }
        if weight > 0 {
            (comRowPx, comColumnPx) = (sumRow / weight, sumColumn / weight)
            (radialMeanPx, radialRMSPx) = (sumRho / weight, (sumRho2 / weight).squareRoot())
        }
        if count > 0 {
            let mean = sum / Double(count)
            let variance = max(sum2 / Double(count) - mean * mean, 0)
            contrast = mean > 0 ? variance.squareRoot() / mean : 0
        }
        embedding = zip(blockSum, blockCount).map { $1 > 0 ? $0 / Double($1) : 0 }
    }
}
