import Core
import Foundation

/// A sparse integration matrix (CSR, one row per bin) for one calibration and mask, built once and applied to
/// every frame.
///
/// Row k holds the pixels that reach bin k with their weights; the true fraction of pixel p in bin k is
/// `weight · weightScale` (oversampling stores the sub-pixel counts, exact small integers, with scale 1/ov²).
/// Masked pixels have no entries. The polarization correction is a factor per pixel.
public struct IntegrationMatrix: Sendable {
    public let axis: IntegrationAxis
    public let rows: Int
    public let columns: Int
    /// Bin centres: q in nm⁻¹ (radial) or φ in rad (azimuthal).
    public let centers: [Double]
    /// 1/width of a bin (SAXSDog's label scale; 1 for GISAXS cuts, one bin per pixel).
    public let scale: Double
    public let rowStart: [Int32]
    public let pixel: [Int32]
    public let weight: [Float]
    public let weightScale: Double
    /// Multiplies each pixel's value before binning (1/polarization, or 1/norm under a ``PixelNormalization``);
    /// nil when there is no correction.
    public let correction: [Float]?
    /// Subtracted from each pixel's value before binning (pyFAI's dark); nil for none.
    public let dark: [Float]?
    /// Under a ``PixelNormalization`` (weights c·norm): Σ c of each row, the bin's pixel area; nil otherwise.
    let areaSum: [Double]?
    /// Σ weight of each row, summed in row order (the bin's area in weight units before dynamic masking).
    let weightSum: [Double]
    /// The same matrix by pixel (CSC): pixel p's bins and weights are `pixelBin[r]`, `pixelWeight[r]` for r in
    /// `pixelStart[p]..<pixelStart[p + 1]`. The integration streams frames pixel by pixel through it; each bin
    /// still receives its pixels in ascending order, so the sums equal the row-wise ones bit for bit.
    let pixelStart: [Int32]
    let pixelBin: [Int32]
    let pixelWeight: [Float]

    public var bins: Int { centers.count }
    /// The bytes its arrays hold.
    public var byteCount: Int {
        centers.count * 8 + rowStart.count * 4 + pixel.count * 4 + weight.count * 4 + (correction?.count ?? 0) * 4
            + weightSum.count * 8 + pixelStart.count * 4 + pixelBin.count * 4 + pixelWeight.count * 4
    }
    public var nonZeros: Int { pixel.count }

    /// Builds the matrix.
    ///
    /// Bins follow SAXSDog (docs/reference/integration.md §5): radial labels are k = ⌊q·s⌋ with s = max r / max q /
    /// PixelPerRadialElement over the sub-pixel centres (r in pixels), so a bin is about one pixel wide at the
    /// outer corner, centres (k + 0.5)/s; azimuthal labels are ⌊(φ + π)·s⌋ with s = max r(mm) / max φ / PPRE and
    /// only pixels whose centre q lies in [qStart, qStop].
    /// - Parameters:
    ///   - valid: per pixel, row-major, false where masked; nil for none.
    ///   - normalization: pyFAI's per-pixel norm and dark (PONI calibrations): the weights become c·norm and the
    ///     correction 1/norm, so that a bin's mean is pyFAI's Σ c·(n − dark) / Σ c·norm.
    public init(calibration: Calibration, settings: IntegrationSettings, valid: [Bool]?,
                splitting: PixelSplitting = .oversampling, build: SharedBuild = .serial,
                normalization: PixelNormalization? = nil) {
        let plan = MatrixPlan(calibration: calibration, settings: settings, valid: valid)
        let rows = plan.rows, columns = plan.columns, ov = plan.ov, axis = plan.axis
        // Label scale from the sub-pixel centres (first pass: maxima only), a block of sub-pixel rows per part.
        let blocks = 4 * build.processes
        var maxR = 0.0, maxValue = -Double.infinity
        for part in build.parts(blocks, { part in
            plan.maxima(subRows: Partition.block(count: rows * ov, parts: blocks, part: part)).bytes
        }) {
            let maxima = MatrixPlan.Maxima(part)
            maxR = max(maxR, maxima.radius)
            maxValue = max(maxValue, maxima.value)
        }
        var scale = (axis == .radial ? maxR : maxR * plan.pixelMM) / maxValue / settings.pixelsPerRadialElement
        var origin = 0.0
        if let bins = settings.radialBins, axis == .radial {
            // pyFAI's npt bins over its default range.
            let range = plan.pyFAIRange(splitting: splitting)
            origin = range.lower
            scale = Double(bins) / (range.upper - range.lower)
            maxValue = range.upper
        }
        let binning = plan.starting(at: origin)
        // Triplets (pixel, bin, weight) in pixel order, a block of pixel rows per part.
        var triplets = MatrixPlan.Triplets()
        for part in build.parts(blocks, { part in
            let pixelRows = Partition.block(count: rows, parts: blocks, part: part)
            return switch splitting {
            case .oversampling: binning.oversampled(pixelRows: pixelRows, scale: scale).bytes
            case .full: binning.split(pixelRows: pixelRows, scale: scale, maxValue: maxValue).bytes
            }
        }) {
            triplets.append(MatrixPlan.Triplets(part))
        }
        if let bins = settings.radialBins, axis == .radial { triplets.maxBin = bins - 1 }
        let weightScale = splitting == .oversampling ? 1 / Double(ov * ov) : 1
        let offset: Double = axis == .radial ? -binning.origin : Double.pi
        var correction = plan.correction
        if let normalization {
            triplets = Self.normalized(triplets, norm: normalization.norm)
            correction = normalization.norm.map { $0 > 0 && $0.isFinite ? 1 / $0 : 0 }
        }
        self.init(axis: axis, rows: rows, columns: columns,
                  centers: (0...triplets.maxBin).map { (Double($0) + 0.5) / scale - offset }, scale: scale,
                  triplets: (triplets.pixel, triplets.bin, triplets.weight), weightScale: weightScale,
                  correction: correction, dark: normalization?.dark, normalized: normalization != nil)
    }

    /// The triplets with each weight c multiplied by its pixel's norm, pixels of norm 0, negative or not finite
    /// left out (pyFAI leaves out pixels of norm 0).
    private static func normalized(_ triplets: MatrixPlan.Triplets, norm: [Float]) -> MatrixPlan.Triplets {
        var out = MatrixPlan.Triplets()
        out.maxBin = triplets.maxBin
        for t in triplets.pixel.indices {
            let n = norm[Int(triplets.pixel[t])]
            guard n > 0 && n.isFinite else { continue }
            out.pixel.append(triplets.pixel[t])
            out.bin.append(triplets.bin[t])
            out.weight.append(triplets.weight[t] * n)
        }
        return out
    }

    /// Assembles the matrix from (pixel, bin, weight) triplets in ascending pixel order, bins below
    /// `centers.count`: CSR by a counting sort on the bin (pixels stay ascending within each row), then CSC.
    init(axis: IntegrationAxis, rows: Int, columns: Int, centers: [Double], scale: Double,
         triplets: (pixel: [Int32], bin: [Int32], weight: [Float]), weightScale: Double, correction: [Float]?,
         dark: [Float]? = nil, normalized: Bool = false) {
        let bins = centers.count
        var counts = [Int32](repeating: 0, count: bins + 1)
        for b in triplets.bin { counts[Int(b) + 1] += 1 }
        for k in 0..<bins { counts[k + 1] += counts[k] }
        var next = counts
        var pixel = [Int32](repeating: 0, count: triplets.pixel.count)
        var weight = [Float](repeating: 0, count: triplets.pixel.count)
        for t in triplets.pixel.indices {
            let b = Int(triplets.bin[t])
            let slot = Int(next[b])
            next[b] += 1
            pixel[slot] = triplets.pixel[t]
            weight[slot] = triplets.weight[t]
        }
        var weightSum = [Double](repeating: 0, count: bins)
        for k in 0..<bins {
            for e in Int(counts[k])..<Int(counts[k + 1]) { weightSum[k] += Double(weight[e]) }
        }
        var areaSum: [Double]? = nil
        if normalized, let correction {
            var area = [Double](repeating: 0, count: bins)
            for k in 0..<bins {
                for e in Int(counts[k])..<Int(counts[k + 1]) {
                    area[k] += Double(weight[e]) * Double(correction[Int(pixel[e])])
                }
            }
            areaSum = area
        }
        var pixelStart = [Int32](repeating: 0, count: rows * columns + 1)
        for p in pixel { pixelStart[Int(p) + 1] += 1 }
        for q in 0..<(rows * columns) { pixelStart[q + 1] += pixelStart[q] }
        var nextSlot = pixelStart
        var pixelBin = [Int32](repeating: 0, count: pixel.count)
        var pixelWeight = [Float](repeating: 0, count: pixel.count)
        for k in 0..<bins {
            for e in Int(counts[k])..<Int(counts[k + 1]) {
                let p = Int(pixel[e])
                pixelBin[Int(nextSlot[p])] = Int32(k)
                pixelWeight[Int(nextSlot[p])] = weight[e]
                nextSlot[p] += 1
            }
        }
        self.axis = axis
        self.rows = rows
        self.columns = columns
        self.centers = centers
        self.scale = scale
        self.weightScale = weightScale
        self.correction = correction
        self.dark = dark
        self.areaSum = areaSum
        self.weightSum = weightSum
        self.pixelStart = pixelStart
        self.pixelBin = pixelBin
        self.pixelWeight = pixelWeight
        rowStart = counts
        self.pixel = pixel
        self.weight = weight
    }

    /// The fractions of a polygon (a quadrilateral for a pixel; u: bin coordinate, v: the other coordinate) between
    /// consecutive integer values of u: by Green's theorem the area of the polygon in the strip a ≤ u < b is the integral of v du
    /// along its edges, clipped to the strip. Returns false for a degenerate (zero-area) polygon.
    static func areaShares(u: [Double], v: [Double], into shares: inout [(bin: Int, fraction: Double)]) -> Bool {
        let lo = Int(floor(u.min()!)), hi = Int(floor(u.max()!))
        if lo == hi {
            shares.append((max(0, lo), 1))
            return true
        }
        var strip = [Double](repeating: 0, count: hi - lo + 1)
        for e in u.indices {
            let next = (e + 1) % u.count
            let u0: Double = u[e], v0: Double = v[e]
            let u1: Double = u[next], v1: Double = v[next]
            if u0 == u1 { continue }
            let slope = (v1 - v0) / (u1 - u0)
            let a = min(u0, u1), b = max(u0, u1)
            let direction = u1 > u0 ? 1.0 : -1.0
            var k = Int(floor(a))
            while Double(k) < b {
                let s = max(a, Double(k)), t = min(b, Double(k + 1))
                if t > s {
                    // ∫ v du from s to t along the edge, in the edge's direction.
                    let vs: Double = v0 + slope * (s - u0)
                    let vt: Double = v0 + slope * (t - u0)
                    let integral: Double = 0.5 * (vs + vt) * (t - s)
                    strip[k - lo] += direction * integral
                }
                k += 1
            }
        }
        let total = strip.reduce(0, +)
        guard abs(total) > 1e-300, total.isFinite else { return false }
        for (offset, value) in strip.enumerated() where value != 0 {
            let fraction = value / total
            if fraction > 0 { shares.append((max(0, lo + offset), fraction)) }
        }
        let sum = shares.reduce(0) { $0 + $1.fraction }
        for s in shares.indices { shares[s].fraction /= sum }
        return true
    }
}
