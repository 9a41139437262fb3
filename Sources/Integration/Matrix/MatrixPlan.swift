import Core
import Foundation

/// What building an ``IntegrationMatrix`` needs, and its passes over blocks of rows, each independent of the others
/// so that a ``SharedBuild`` can spread them over processes: the maxima that fix the label scale, then the
/// (pixel, bin, weight) triplets. Parts travel as bytes, so a matrix built by many ranks is bit-identical to one
/// built by one.
struct MatrixPlan {
    let calibration: Calibration
    let settings: IntegrationSettings
    let geometry: ScatteringGeometry
    let rows: Int
    let columns: Int
    let ov: Int
    let axis: IntegrationAxis
    let pixelMM: Double
    /// Per pixel: unmasked (and, in phi mode, with its centre's q in [qStart, qStop]).
    let centreValid: [Bool]
    /// 1/polarization per pixel; nil without a polarization correction.
    let correction: [Float]?

    /// The pixel-centre pass: the correction, and q for the phi-mode band.
    init(calibration: Calibration, settings: IntegrationSettings, valid: [Bool]?) {
        self.calibration = calibration
        self.settings = settings
        geometry = ScatteringGeometry(calibration.geometry)
        rows = calibration.geometry.rows
        columns = calibration.geometry.columns
        ov = settings.oversampling
        axis = settings.phiMode ? .azimuthal : .radial
        pixelMM = switch calibration.geometry {
        case .fit2d(let g): g.pixelMM
        case .poni(let g): g.pixel1 * 1e3
        }
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
        self.centreValid = centreValid
        self.correction = correction
    }

    /// The largest radius (pixels) and label value (q or φ) over the sub-pixel centres of some sub-pixel rows.
    struct Maxima {
        var radius = 0.0
        var value = -Double.infinity

        init() {}

        init(_ bytes: [UInt8]) {
            radius = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Double.self) }
            value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: Double.self) }
        }

        var bytes: [UInt8] { withUnsafeBytes(of: (radius, value)) { Array($0) } }
    }

    func maxima(subRows: Range<Int>) -> Maxima {
        var maxima = Maxima()
        for a in subRows {
            let y = (Double(a) + 0.5) / Double(ov)
            for b in 0..<(columns * ov) {
                let p = geometry.angles(row: y, column: (Double(b) + 0.5) / Double(ov))
                maxima.radius = max(maxima.radius, p.radiusPixels)
                maxima.value = max(maxima.value, axis == .radial ? calibration.q(twoTheta: p.twoTheta) : p.azimuth)
            }
        }
        return maxima
    }

    @inline(__always) func coordinate(row: Double, column: Double, scale: Double) -> Double {
        let p = geometry.angles(row: row, column: column)
        return axis == .radial ? (calibration.q(twoTheta: p.twoTheta) - origin) * scale : (p.azimuth + .pi) * scale
    }

    /// The q of a radial integration's first bin edge (0 but with ``IntegrationSettings/radialBins``).
    private(set) var origin = 0.0

    /// The same plan with radial bins starting at q = `origin`.
    func starting(at origin: Double) -> MatrixPlan {
        var plan = self
        plan.origin = origin
        return plan
    }

    /// pyFAI's default radial range (`integrate1d` without `radial_range`): from the smallest to the largest q of
    /// the unmasked pixels, at their (sub-pixel) centres when oversampling (pyFAI's "no" split at oversampling 1)
    /// or their corners when splitting (pyFAI's "full"), the upper end widened by float32's ε (2⁻²³, relative) so
    /// that the largest falls in the last bin, as pyFAI does.
    func pyFAIRange(splitting: PixelSplitting) -> (lower: Double, upper: Double) {
        var lower = Double.infinity, upper = -Double.infinity
        func include(_ row: Double, _ column: Double) {
            let q = calibration.q(twoTheta: geometry.angles(row: row, column: column).twoTheta)
            lower = min(lower, q)
            upper = max(upper, q)
        }
        for i in 0..<rows {
            for j in 0..<columns where centreValid[i * columns + j] {
                switch splitting {
                case .oversampling:
                    for a in 0..<ov {
                        for b in 0..<ov {
                            include(Double(i) + (Double(a) + 0.5) / Double(ov), Double(j) + (Double(b) + 0.5) / Double(ov))
                        }
                    }
                case .full:
                    for (a, b) in [(0, 0), (0, 1), (1, 0), (1, 1)] { include(Double(i + a), Double(j + b)) }
                }
            }
        }
        return (lower, upper * (1 + Double(Float.ulpOfOne)))
    }

    /// (pixel, bin, weight) in pixel order, and the largest bin label seen.
    struct Triplets {
        var pixel: [Int32] = []
        var bin: [Int32] = []
        var weight: [Float] = []
        var maxBin = 0

        init() {}

        init(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                maxBin = Int(raw.loadUnaligned(fromByteOffset: 0, as: Int64.self))
                let n = (raw.count - 8) / 12
                pixel = (0..<n).map { raw.loadUnaligned(fromByteOffset: 8 + 4 * $0, as: Int32.self) }
                bin = (0..<n).map { raw.loadUnaligned(fromByteOffset: 8 + 4 * (n + $0), as: Int32.self) }
                weight = (0..<n).map { raw.loadUnaligned(fromByteOffset: 8 + 4 * (2 * n + $0), as: Float.self) }
            }
        }

        var bytes: [UInt8] {
            var out = withUnsafeBytes(of: Int64(maxBin)) { Array($0) }
            pixel.withUnsafeBytes { out += $0 }
            bin.withUnsafeBytes { out += $0 }
            weight.withUnsafeBytes { out += $0 }
            return out
        }

        mutating func append(_ other: Triplets) {
            pixel += other.pixel
            bin += other.bin
            weight += other.weight
            maxBin = max(maxBin, other.maxBin)
        }
    }

    /// Oversampling: each pixel split into ov × ov sub-pixels, each going whole to the bin of its centre; the
    /// triplets of `pixelRows`.
    func oversampled(pixelRows: Range<Int>, scale: Double) -> Triplets {
        var out = Triplets()
        var labels = [Int](repeating: 0, count: ov * ov)
        var rowLabels = [Int](repeating: 0, count: ov * columns * ov)
        for i in pixelRows {
            // All sub-pixel labels of this pixel row (ov sub-rows × columns·ov).
            for a in 0..<ov {
                let y = Double(i) + (Double(a) + 0.5) / Double(ov)
                for b in 0..<(columns * ov) {
                    let label = Int(coordinate(row: y, column: (Double(b) + 0.5) / Double(ov), scale: scale))
                    rowLabels[a * columns * ov + b] = label
                    out.maxBin = max(out.maxBin, label)
                }
            }
            for j in 0..<columns where centreValid[i * columns + j] {
                for a in 0..<ov { for b in 0..<ov { labels[a * ov + b] = rowLabels[a * columns * ov + j * ov + b] } }
                labels.sort()
                var start = 0
                while start < labels.count {
                    var end = start + 1
                    while end < labels.count && labels[end] == labels[start] { end += 1 }
                    out.pixel.append(Int32(i * columns + j))
                    out.bin.append(Int32(labels[start]))
                    out.weight.append(Float(end - start))
                    start = end
                }
            }
        }
        return out
    }

    /// Full splitting: each pixel's area shared between the bins its quadrilateral crosses; the triplets of
    /// `pixelRows`. Bins still cover what the sub-pixel grid covers, so that the two modes share their bins (the
    /// largest sub-pixel label, from the maximum: rounding is monotonic).
    func split(pixelRows: Range<Int>, scale: Double, maxValue: Double) -> Triplets {
        var out = Triplets()
        out.maxBin = Int(axis == .radial ? (maxValue - origin) * scale : (maxValue + .pi) * scale)
        guard !pixelRows.isEmpty else { return out }
        // Corner coordinates of these rows: (bin coordinate, azimuth).
        let first = pixelRows.lowerBound, cornerRows = pixelRows.count + 1
        var cornerU = [Double](repeating: 0, count: cornerRows * (columns + 1))
        var cornerPhi = [Double](repeating: 0, count: cornerRows * (columns + 1))
        for i in first...pixelRows.upperBound {
            for j in 0...columns {
                let p = geometry.angles(row: Double(i), column: Double(j))
                cornerU[(i - first) * (columns + 1) + j] = axis == .radial
                    ? (calibration.q(twoTheta: p.twoTheta) - origin) * scale : (p.azimuth + .pi) * scale
                cornerPhi[(i - first) * (columns + 1) + j] = axis == .radial ? p.azimuth : p.radiusPixels
            }
        }
        var shares: [(bin: Int, fraction: Double)] = []
        let centre = geometry.beamCenterPixels
        for i in pixelRows {
            for j in 0..<columns where centreValid[i * columns + j] {
                let r = i - first
                let corners = [r * (columns + 1) + j, r * (columns + 1) + j + 1,
                               (r + 1) * (columns + 1) + j + 1, (r + 1) * (columns + 1) + j]
                let u = corners.map { cornerU[$0] }
                var v = corners.map { cornerPhi[$0] }
                // Unwrap the azimuth around the first corner; a pixel holding the beam centre (where the azimuth
                // turns all the way round) goes whole to the bin of its centre.
                let holdsCentre = axis == .radial && Double(i) <= centre.row && centre.row < Double(i + 1)
                    && Double(j) <= centre.column && centre.column < Double(j + 1)
                if axis == .radial { for k in 1..<4 { v[k] = v[0] + remainder(v[k] - v[0], 2 * .pi) } }
                shares.removeAll(keepingCapacity: true)
                if holdsCentre || !IntegrationMatrix.areaShares(u: u, v: v, into: &shares) {
                    let c = coordinate(row: Double(i) + 0.5, column: Double(j) + 0.5, scale: scale)
                    shares = [(Int(c), 1)]
                }
                for share in shares {
                    out.pixel.append(Int32(i * columns + j))
                    out.bin.append(Int32(share.bin))
                    out.weight.append(Float(share.fraction))
                    out.maxBin = max(out.maxBin, share.bin)
                }
            }
        }
        return out
    }
}
