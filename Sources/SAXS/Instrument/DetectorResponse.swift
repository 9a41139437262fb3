import Core
import Formats
import Foundation

/// What an instrument does to a curve, precomputed once per run: the unmasked pixels with their q, solid angle and
/// q bin, and per resolution level the linear maps from model intensities on a uniform q grid to smeared pixel
/// intensities (`smearing`) and to per-bin sums Σ_j ΔΩ_j·I_smeared(q_j) (`binning`).
///
/// The model is evaluated on the grid and interpolated (four-point Lagrange) to every pixel's q, so image mode (a
/// Poisson draw per pixel) and fast mode (one draw per bin of the summed pixel expectations) have the same expected
/// counts to rounding: a sum of independent Poisson variables is Poisson with the summed mean (docs/reference/saxs-physics.md §6.3).
public struct DetectorResponse: Sendable {
    /// One grid resolution: finer levels for larger particles, whose fringes are narrower in q.
    public struct Level: Sendable {
        public let grid: UniformGrid
        /// Grid → grid: pinhole smearing onto the grid nodes.
        public let smearing: SparseMatrix
        /// Grid → bins: Σ over the bin's pixels of ΔΩ_j × (smeared, interpolated intensity at q_j).
        public let binning: SparseMatrix
    }

    public let instrument: Instrument
    public let detector: DetectorModel
    /// Bin centres (Å⁻¹).
    public let q: [Double]
    /// Σ ΔΩ over each bin's unmasked pixels (sr).
    public let binSolidAngle: [Double]
    /// Unmasked pixels in each bin.
    public let binPixels: [Int]
    /// Unmasked, binned pixels: q, solid angle, bin and position in the frame (row-major).
    public let pixelQ: [Double]
    public let pixelSolidAngle: [Double]
    public let pixelBin: [Int32]
    public let pixelIndex: [Int32]
    /// The bytes its pixel arrays and levels hold.
    public var byteCount: Int {
        pixelQ.count * 24 + (q.count + binSolidAngle.count + binPixels.count) * 8
            + levels.reduce(0) { $0 + $1.smearing.byteCount + $1.binning.byteCount }
    }

    /// The resolution levels, coarsest first; empty until built (``buildLevels(_:)``).
    public internal(set) var levels: [Level] = []
    /// What building the levels needs; dropped once they are built (the pixel order alone is megabytes).
    var levelPlan: LevelPlan?

    /// The first level tried has a step below `stepFraction`/D (D the largest dimension of the mean particle
    /// × (1 + PD)); ``modelSums(for:tolerance:)`` refines from there until the binned model has converged.
    public static let stepFraction = 0.5
    public static let levelCount = 6

    /// Builds the response; `key` names the instrument in errors, `mask` is the instrument's mask file, read. The
    /// resolution levels (most of the work) are built with `levels`, or later by ``buildLevels(_:)`` when nil.
    public init(instrument: Instrument, mask: Fit2DMask?, key: String,
                levels build: SharedBuild? = .serial) throws(ConfigError) {
        guard let detector = DetectorModel.named(instrument.detector) else {
            throw ConfigError(key: "\(key).detector", "unknown detector '\(instrument.detector)'")
        }
        if let mask, mask.width != detector.columns || mask.height != detector.rows {
            throw ConfigError(key: "\(key).mask", "the mask is \(mask.width) × \(mask.height) pixels, the "
                              + "\(detector.name) has \(detector.columns) × \(detector.rows)")
        }
        self.instrument = instrument
        self.detector = detector
        let centres = instrument.q, edges = instrument.qEdges
        q = centres

        // Pixel geometry (pyFAI's flat detector normal to the beam): 2θ = atan(r/L), ΔΩ = p² cos³2θ / L².
        let p = detector.pixelSize, distance = instrument.distance
        let beamstop = instrument.beamstopRadius * 1e-3
        let fourPiOverLambda = 4 * Double.pi / instrument.wavelength
        var gapRow = [Bool](repeating: false, count: detector.rows)
        for gap in detector.gapRows { for r in gap { gapRow[r] = true } }
        var gapColumn = [Bool](repeating: false, count: detector.columns)
        for gap in detector.gapColumns { for c in gap { gapColumn[c] = true } }
        var pq: [Double] = [], pomega: [Double] = [], pbin: [Int32] = [], pindex: [Int32] = []
        var area = [Double](repeating: 0, count: centres.count), count = [Int](repeating: 0, count: centres.count)
        var visibleMin = Double.infinity, visibleMax = 0.0
        for r in 0..<detector.rows where !gapRow[r] {
            let y = (Double(r) + 0.5 - instrument.beamCenter[0]) * p
            for c in 0..<detector.columns where !gapColumn[c] {
                let index = r * detector.columns + c
                if let mask, mask.masked[index] { continue }
                let x = (Double(c) + 0.5 - instrument.beamCenter[1]) * p
                let radius = (x * x + y * y).squareRoot()
                if radius < beamstop { continue }
                let twoTheta = atan2(radius, distance)
                let qj = fourPiOverLambda * sin(twoTheta / 2)
                visibleMin = min(visibleMin, qj)
                visibleMax = max(visibleMax, qj)
                guard qj >= edges[0], qj < edges[edges.count - 1] else { continue }
                // The bin: edges are increasing; binary search.
                var lo = 0, hi = edges.count - 1
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2
                    if edges[mid] <= qj { lo = mid } else { hi = mid }
                }
                let c2 = cos(twoTheta)
                let omega = p * p * c2 * c2 * c2 / (distance * distance)
                pq.append(qj)
                pomega.append(omega)
                pbin.append(Int32(lo))
                pindex.append(Int32(index))
                area[lo] += omega
                count[lo] += 1
            }
        }
        if let empty = count.firstIndex(of: 0) {
            throw ConfigError(key: key, "q bin \(empty) (q = \(centres[empty]) 1/Å) holds no unmasked pixel: this "
                              + "geometry sees q from \(visibleMin) to \(visibleMax) 1/Å behind the beamstop and mask; "
                              + "change q_min/q_max, q_points or q_spacing, distance, beam_center or beamstop_radius")
        }
        pixelQ = pq
        pixelSolidAngle = pomega
        pixelBin = pbin
        pixelIndex = pindex
        binSolidAngle = area
        binPixels = count

        // Pixels grouped by bin, for the binning matrices.
        var order = Array(0..<pq.count)
        order.sort { pbin[$0] < pbin[$1] || (pbin[$0] == pbin[$1] && $0 < $1) }
        let sigma = instrument.sigmaQ
        // The narrowest bin for linear bins. Log bins at q_min are far narrower than the mean (48× for Xeuss'
        // range): their width would make every grid that much finer and the smearing build quadratically slower,
        // while the grids' accuracy follows the particle size (``level(forSize:)``), not the bins; they take the
        // width of linear bins over the same range.
        let coarsest = instrument.qSpacing == "log" ? (edges[edges.count - 1] - edges[0]) / Double(edges.count - 1)
            : zip(edges.dropFirst(), edges).map { $0 - $1 }.min()!
        let lowest = pq.min()!, highest = pq.max()!
        // Nested grids: every level holds the nodes of the coarser ones (same start, half the step).
        let start = max(lowest - PinholeResolution.sigmasBelow * sigma - 3 * coarsest, 0)
        let end = highest + PinholeResolution.sigmasAbove * sigma + 3 * coarsest
        levelPlan = LevelPlan(order: order, sigma: sigma, start: start, coarsest: coarsest,
                              intervals: Int(((end - start) / coarsest).rounded(.up)))
        if let build { buildLevels(build) }
    }

    /// The first level to try for a particle whose largest dimension is `size` Å.
    public func level(forSize size: Double) -> Int {
        let wanted = Self.stepFraction / max(size, 1)
        for (i, level) in levels.enumerated() where level.grid.step <= wanted { return i }
        return levels.count - 1
    }

    /// The model on a grid fine enough for this sample, and its per-bin sums Σ_j ΔΩ_j·I_smeared(q_j).
    ///
    /// Starting from ``level(forSize:)``, it evaluates the next finer level too (nested grids: only the new nodes
    /// cost) and accepts the finer one when the coarser's binned sums differ from it by less than 8 × `tolerance`
    /// (four-point interpolation errors fall 16× per halving, so the finer is then within `tolerance`); otherwise
    /// it refines again, up to the finest level.
    public func modelSums(for sample: Sample, tolerance: Double = 1e-4)
        -> (level: Int, model: [Double], sums: [Double]) {
        let widest = sample.polydispersity.reduce(0.0) { max($0, $1.distribution.relativeWidth) }
        var level = min(level(forSize: sample.particle.maxDimension * (1 + widest)), levels.count - 2)
        var values = sample.intensity(q: levels[level + 1].grid.nodes)
        while true {
            let coarse = Swift.stride(from: 0, to: values.count, by: 2).map { values[$0] }
            let coarseSums = levels[level].binning.apply(coarse)
            let fineSums = levels[level + 1].binning.apply(values)
            var worst = 0.0
            for b in 0..<fineSums.count {
                worst = max(worst, abs(coarseSums[b] - fineSums[b]) / abs(fineSums[b]))
            }
            if worst <= 8 * tolerance || level + 2 == levels.count {
                return (level + 1, values, fineSums)
            }
            level += 1
            let finer = levels[level + 1].grid
            let odd = Swift.stride(from: 1, to: finer.count, by: 2).map { finer.start + Double($0) * finer.step }
            let new = sample.intensity(q: odd)
            var merged = [Double](repeating: 0, count: finer.count)
            for i in 0..<finer.count { merged[i] = i % 2 == 0 ? values[i / 2] : new[i / 2] }
            values = merged
        }
    }
}
