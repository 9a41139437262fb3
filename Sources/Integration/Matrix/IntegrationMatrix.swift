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
    /// Multiplies each pixel's value before binning (1/polarization); nil when there is no correction.
    public let correction: [Float]?
    /// Σ weight of each row, summed in row order (the bin's area in weight units before dynamic masking).
    let weightSum: [Double]
    /// The same matrix by pixel (CSC): pixel p's bins and weights are `pixelBin[r]`, `pixelWeight[r]` for r in
    /// `pixelStart[p]..<pixelStart[p + 1]`. The integration streams frames pixel by pixel through it; each bin
    /// still receives its pixels in ascending order, so the sums equal the row-wise ones bit for bit.
    let pixelStart: [Int32]
    let pixelBin: [Int32]
    let pixelWeight: [Float]

    public var bins: Int { centers.count }
    public var nonZeros: Int { pixel.count }

    /// Builds the matrix.
    ///
    /// Bins follow SAXSDog (docs/reference/integration.md §5): radial labels are k = ⌊q·s⌋ with s = max r / max q /
    /// PixelPerRadialElement over the sub-pixel centres (r in pixels), so a bin is about one pixel wide at the
    /// outer corner, centres (k + 0.5)/s; azimuthal labels are ⌊(φ + π)·s⌋ with s = max r(mm) / max φ / PPRE and
    /// only pixels whose centre q lies in [qStart, qStop].
    /// - Parameters:
    ///   - valid: per pixel, row-major, false where masked; nil for none.
    public init(calibration: Calibration, settings: IntegrationSettings, valid: [Bool]?,
                splitting: PixelSplitting = .oversampling) {
        let geometry = ScatteringGeometry(calibration.geometry)
        let rows = calibration.geometry.rows, columns = calibration.geometry.columns
        let ov = settings.oversampling
        let axis: IntegrationAxis = settings.phiMode ? .azimuthal : .radial
        let pixelMM: Double = switch calibration.geometry {
        case .fit2d(let g): g.pixelMM
        case .poni(let g): g.pixel1 * 1e3
        }

        // Pixel-centre quantities: the correction, and q for the phi-mode band.
        var centreValid = valid ?? [Bool](repeating: true, count: rows * columns)
        var correction: [Float]? = nil
        if calibration.polarization != nil || axis == .azimuthal {
            var factors = [Float](repeating: 1, count: rows * columns)
            for i in 0..<rows {
                for j in 0..<columns {
                    let a = geometry.angles(row: Double(i) + 0.5, column: Double(j) + 0.5)
                    if let p = calibration.polarization {
                        factors[i * columns + j] = Float(1 / ScatteringGeometry.polarizationFactor(
                            twoTheta: a.twoTheta, azimuth: a.azimuth, p))
                    }
                    if axis == .azimuthal {
                        let q = calibration.q(twoTheta: a.twoTheta)
                        if q < settings.qStart || q > settings.qStop { centreValid[i * columns + j] = false }
                    }
                }
            }
            if calibration.polarization != nil { correction = factors }
        }

        // Label scale from the sub-pixel centres (first pass: maxima only).
        var maxR = 0.0, maxValue = -Double.infinity
        for a in 0..<(rows * ov) {
            let y = (Double(a) + 0.5) / Double(ov)
            for b in 0..<(columns * ov) {
                let p = geometry.angles(row: y, column: (Double(b) + 0.5) / Double(ov))
                maxR = max(maxR, p.radiusPixels)
                maxValue = max(maxValue, axis == .radial ? calibration.q(twoTheta: p.twoTheta) : p.azimuth)
            }
        }
        let scale = (axis == .radial ? maxR : maxR * pixelMM) / maxValue / settings.pixelsPerRadialElement
        @inline(__always) func coordinate(row: Double, column: Double) -> Double {
            let p = geometry.angles(row: row, column: column)
            return axis == .radial ? calibration.q(twoTheta: p.twoTheta) * scale : (p.azimuth + .pi) * scale
        }

        // Triplets (pixel, bin, weight) in pixel order.
        var tripletPixel: [Int32] = [], tripletBin: [Int32] = [], tripletWeight: [Float] = []
        tripletPixel.reserveCapacity(rows * columns * 2)
        tripletBin.reserveCapacity(rows * columns * 2)
        tripletWeight.reserveCapacity(rows * columns * 2)
        var maxBin = 0
        let weightScale: Double
        switch splitting {
        case .oversampling:
            var labels = [Int](repeating: 0, count: ov * ov)
            var rowLabels = [Int](repeating: 0, count: ov * columns * ov)
            for i in 0..<rows {
                // All sub-pixel labels of this pixel row (ov sub-rows × columns·ov).
                for a in 0..<ov {
                    let y = Double(i) + (Double(a) + 0.5) / Double(ov)
                    for b in 0..<(columns * ov) {
                        let label = Int(coordinate(row: y, column: (Double(b) + 0.5) / Double(ov)))
                        rowLabels[a * columns * ov + b] = label
                        maxBin = max(maxBin, label)
                    }
                }
                for j in 0..<columns where centreValid[i * columns + j] {
                    for a in 0..<ov { for b in 0..<ov { labels[a * ov + b] = rowLabels[a * columns * ov + j * ov + b] } }
                    labels.sort()
                    var start = 0
                    while start < labels.count {
                        var end = start + 1
                        while end < labels.count && labels[end] == labels[start] { end += 1 }
                        tripletPixel.append(Int32(i * columns + j))
                        tripletBin.append(Int32(labels[start]))
                        tripletWeight.append(Float(end - start))
                        start = end
                    }
                }
            }
            weightScale = 1 / Double(ov * ov)
        case .full:
            // Bins must still cover what the sub-pixel grid covers, so that the two modes share their bins: the
            // largest sub-pixel label, from the maximum found above (rounding is monotonic).
            maxBin = Int(axis == .radial ? maxValue * scale : (maxValue + .pi) * scale)
            // Corner coordinates: (bin coordinate, azimuth).
            var cornerU = [Double](repeating: 0, count: (rows + 1) * (columns + 1))
            var cornerPhi = [Double](repeating: 0, count: (rows + 1) * (columns + 1))
            for i in 0...rows {
                for j in 0...columns {
                    let p = geometry.angles(row: Double(i), column: Double(j))
                    cornerU[i * (columns + 1) + j] = axis == .radial
                        ? calibration.q(twoTheta: p.twoTheta) * scale : (p.azimuth + .pi) * scale
                    cornerPhi[i * (columns + 1) + j] = axis == .radial ? p.azimuth : p.radiusPixels
                }
            }
            var shares: [(bin: Int, fraction: Double)] = []
            let centre = geometry.beamCenterPixels
            for i in 0..<rows {
                for j in 0..<columns where centreValid[i * columns + j] {
                    let corners = [i * (columns + 1) + j, i * (columns + 1) + j + 1,
                                   (i + 1) * (columns + 1) + j + 1, (i + 1) * (columns + 1) + j]
                    let u = corners.map { cornerU[$0] }
                    var v = corners.map { cornerPhi[$0] }
                    // Unwrap the azimuth around the first corner; a pixel holding the beam centre (where the
                    // azimuth turns all the way round) goes whole to the bin of its centre.
                    let holdsCentre = axis == .radial && Double(i) <= centre.row && centre.row < Double(i + 1)
                        && Double(j) <= centre.column && centre.column < Double(j + 1)
                    if axis == .radial { for k in 1..<4 { v[k] = v[0] + remainder(v[k] - v[0], 2 * .pi) } }
                    shares.removeAll(keepingCapacity: true)
                    if holdsCentre || !Self.areaShares(u: u, v: v, into: &shares) {
                        let c = coordinate(row: Double(i) + 0.5, column: Double(j) + 0.5)
                        shares = [(Int(c), 1)]
                    }
                    for share in shares {
                        tripletPixel.append(Int32(i * columns + j))
                        tripletBin.append(Int32(share.bin))
                        tripletWeight.append(Float(share.fraction))
                        maxBin = max(maxBin, share.bin)
                    }
                }
            }
            weightScale = 1
        }

        let offset: Double = axis == .radial ? 0 : Double.pi
        self.init(axis: axis, rows: rows, columns: columns,
                  centers: (0...maxBin).map { (Double($0) + 0.5) / scale - offset }, scale: scale,
                  triplets: (tripletPixel, tripletBin, tripletWeight), weightScale: weightScale, correction: correction)
    }

    /// Assembles the matrix from (pixel, bin, weight) triplets in ascending pixel order, bins below
    /// `centers.count`: CSR by a counting sort on the bin (pixels stay ascending within each row), then CSC.
    init(axis: IntegrationAxis, rows: Int, columns: Int, centers: [Double], scale: Double,
         triplets: (pixel: [Int32], bin: [Int32], weight: [Float]), weightScale: Double, correction: [Float]?) {
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
        self.weightSum = weightSum
        self.pixelStart = pixelStart
        self.pixelBin = pixelBin
        self.pixelWeight = pixelWeight
        rowStart = counts
        self.pixel = pixel
        self.weight = weight
    }

    /// The fractions of a quadrilateral (u: bin coordinate, v: the other coordinate) between consecutive integer
    /// values of u: by Green's theorem the area of the polygon in the strip a ≤ u < b is the integral of v du
    /// along its edges, clipped to the strip. Returns false for a degenerate (zero-area) polygon.
    static func areaShares(u: [Double], v: [Double], into shares: inout [(bin: Int, fraction: Double)]) -> Bool {
        let lo = Int(floor(u.min()!)), hi = Int(floor(u.max()!))
        if lo == hi {
            shares.append((max(0, lo), 1))
            return true
        }
        var strip = [Double](repeating: 0, count: hi - lo + 1)
        for e in 0..<4 {
            let next = (e + 1) % 4
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
