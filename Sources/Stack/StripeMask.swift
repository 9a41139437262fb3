import Batch

/// The parameters of Larix's STRIPES_DETECT and STRIPES_MERGE (tomography.md §8); the defaults are
/// NoStripesNet's (`simulator/generate_mask.py`).
public struct StripeMaskSettings: Sendable, Equatable, Codable {
    /// Half-length of the median window along angles (STRIPES_DETECT `size`).
    public var size = 250
    /// Radius of the gradient-ratio neighbourhoods (STRIPES_DETECT `radius`).
    public var radius = 3
    /// Weights at or below it are stripe candidates.
    public var threshold: Float = 0.63
    public var minLength = 600
    public var minDepth = 30
    public var minWidth = 22
    /// Percent of `minLength` (and `minDepth`) a candidate must fill.
    public var sensitivity: Float = 85

    public init() {}

    enum CodingKeys: String, CodingKey {
        case size, radius, threshold, minLength = "min_length", minDepth = "min_depth", minWidth = "min_width"
        case sensitivity
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        size = try c.decodeIfPresent(Int.self, forKey: .size) ?? size
        radius = try c.decodeIfPresent(Int.self, forKey: .radius) ?? radius
        threshold = try c.decodeIfPresent(Float.self, forKey: .threshold) ?? threshold
        minLength = try c.decodeIfPresent(Int.self, forKey: .minLength) ?? minLength
        minDepth = try c.decodeIfPresent(Int.self, forKey: .minDepth) ?? minDepth
        minWidth = try c.decodeIfPresent(Int.self, forKey: .minWidth) ?? minWidth
        sensitivity = try c.decodeIfPresent(Float.self, forKey: .sensitivity) ?? sensitivity
    }

    /// Rows a slab needs beyond the rows whose mask it computes, on each side, for the result to equal the
    /// whole-volume computation: the ratio neighbourhoods reach `radius` rows and the depth rule `minDepth/2`.
    public var ghostRows: Int { radius + minDepth / 2 }

    /// Why these settings cannot run on a volume of `angles × rows × columns`, naming the config key, or nil.
    /// The windows mirror at the volume's edges about the voxel itself, which needs the volume to be at least
    /// twice as long as each half-window.
    public func problem(angles: Int, rows: Int, columns: Int) -> ConfigError? {
        if size < 1 { return ConfigError(key: "mask.size", "must be at least 1 (got \(size))") }
        if radius < 1 { return ConfigError(key: "mask.radius", "must be at least 1 (got \(radius))") }
        if !(threshold.isFinite) { return ConfigError(key: "mask.threshold", "must be a number") }
        if minLength < 1 { return ConfigError(key: "mask.min_length", "must be at least 1 (got \(minLength))") }
        if minDepth < 0 { return ConfigError(key: "mask.min_depth", "must be at least 0 (got \(minDepth))") }
        if minWidth < 0 { return ConfigError(key: "mask.min_width", "must be at least 0 (got \(minWidth))") }
        if !(sensitivity >= 0 && sensitivity <= 100) {
            return ConfigError(key: "mask.sensitivity", "must be a percentage (got \(sensitivity))")
        }
        let angleReach = max(size, minLength / 2, 2 * minWidth)
        if angles <= 2 * angleReach {
            return ConfigError(key: "mask", "the windows reach \(angleReach) angles (size \(size), min_length "
                               + "\(minLength), min_width \(minWidth)) but the scan has only \(angles); "
                               + "it needs more than \(2 * angleReach)")
        }
        let rowReach = max(radius, minDepth / 2)
        if rows <= 2 * rowReach {
            return ConfigError(key: "mask", "the windows reach \(rowReach) rows (radius \(radius), min_depth "
                               + "\(minDepth)) but the scan has only \(rows); it needs more than \(2 * rowReach)")
        }
        let columnReach = max(radius, minWidth / 2, 2)
        if columns <= 2 * columnReach {
            return ConfigError(key: "mask", "the windows reach \(columnReach) columns but the scan has only "
                               + "\(columns); it needs more than \(2 * columnReach)")
        }
        return nil
    }
}

/// Larix's stripe detector and mask (STRIPES_DETECT then STRIPES_MERGE; the same C code is tomopy's
/// `stripes_detect3d` and `stripes_mask3d`), computed for a run of detector rows from a slab that holds
/// ``StripeMaskSettings/ghostRows`` more rows on each side (fewer at the volume's edges), so that the result equals
/// the whole-volume computation. Volumes are [angle k][row j][column i], as the C code indexes them.
///
/// Detection: G = in[i+2] − in[i] (in[i−2] − in[i] at the right edge); for each voxel the mean |G| over a
/// (2r+1)² plate of rows × angles, and over 3 rows × r columns on each side; the weight is the smaller of the two
/// ratios smaller/larger (0 where both means are 0). A median along angles over 2·size+1 follows; the C code takes
/// sorted index size − 1. Only `median ≤ threshold` is used, so it is computed exactly as "at least `size` weights
/// of the window are ≤ threshold" from running counts, not by sorting 501 values per voxel.
///
/// Merge: (1) depth rule: clear a candidate with more than int(0.01·s·depth) candidates within ±depth/2 rows;
/// (2) length rule: clear one with fewer than int(0.01·s·length) within ±length/2 angles; (3) clear one with fewer
/// than length/2 within ±length/2 angles; (4) `minWidth` times, set a gap voxel with set voxels on both sides within
/// ±width/2 columns, or else within ±2·width angles. Every window mirrors about the voxel itself at the volume's
/// edges (index k − m for k + m outside), as the C code does; each pass reads the previous pass's mask.
public enum StripeMask {
    /// The mask of rows `wanted` (global row numbers), laid out [angle][row of `wanted`][column].
    /// - Parameters:
    ///   - slab: absorption values [angle][row of `held`][column].
    ///   - held: the global rows in `slab`; must cover `wanted` widened by the ghost rows (clipped to the volume).
    ///   - totalRows: the rows of the whole volume.
    public static func compute(_ slab: UnsafeBufferPointer<Float>, angles: Int, columns: Int, held: Range<Int>,
                               totalRows: Int, wanted: Range<Int>, settings: StripeMaskSettings) -> [UInt8] {
        let r = settings.radius, halfDepth = settings.minDepth / 2
        let weighted = max(0, wanted.lowerBound - halfDepth)..<min(totalRows, wanted.upperBound + halfDepth)
        let gradient = max(0, weighted.lowerBound - r)..<min(totalRows, weighted.upperBound + r)
        precondition(held.lowerBound <= gradient.lowerBound && held.upperBound >= gradient.upperBound,
                     "the slab lacks ghost rows")
        precondition(slab.count == angles * held.count * columns, "slab of the wrong size")
        let X = columns, plane = angles * X

        // |G| of the rows the ratios need, one (angle, column) plane per row.
        var absGradient = [Float](repeating: 0, count: gradient.count * plane)
        absGradient.withUnsafeMutableBufferPointer { g in
            for j in gradient {
                let out = (j - gradient.lowerBound) * plane
                for k in 0..<angles {
                    let line = (k * held.count + j - held.lowerBound) * X
                    for i in 0..<X {
                        let i1 = i + 2 < X ? i + 2 : i - 2
                        g[out + k * X + i] = abs(slab[line + i1] - slab[line + i])
                    }
                }
            }
        }

        // Candidates (median of the weights ≤ threshold), one plane per row of `weighted`.
        var candidates = [UInt8](repeating: 0, count: weighted.count * plane)
        absGradient.withUnsafeBufferPointer { g in
            var weights = [Float](repeating: 0, count: plane)
            var below = [UInt8](repeating: 0, count: plane)
            for j in weighted {
                weights.withUnsafeMutableBufferPointer { w in
                    ratioWeights(g, row: j, rows: gradient, totalRows: totalRows, angles: angles, columns: X,
                                 radius: r, into: w)
                }
                for p in 0..<plane { below[p] = weights[p] <= settings.threshold ? 1 : 0 }
                let base = (j - weighted.lowerBound) * plane
                // sorted[size − 1] ≤ t ⇔ at least `size` values ≤ t.
                countAlongAngles(below, angles: angles, columns: X, half: settings.size) { k, i, count in
                    candidates[base + k * X + i] = count >= settings.size ? 1 : 0
                }
            }
        }

        // Depth rule, then the per-row rules.
        let sensitivity = 0.01 * settings.sensitivity
        let depthLimit = Int(sensitivity * Float(settings.minDepth))
        let lengthLimit = Int(sensitivity * Float(settings.minLength))
        let halfLength = settings.minLength / 2
        var result = [UInt8](repeating: 0, count: angles * wanted.count * X)
        var mask = [UInt8](repeating: 0, count: plane)
        var counts = [UInt16](repeating: 0, count: plane)
        for j in wanted {
            let own = (j - weighted.lowerBound) * plane
            for p in 0..<plane { mask[p] = candidates[own + p] }
            if settings.minDepth != 0 {
                for p in 0..<plane { counts[p] = 0 }
                for m in -halfDepth...halfDepth {
                    var y = j + m
                    if y < 0 || y >= totalRows { y = j - m }
                    let other = (y - weighted.lowerBound) * plane
                    for p in 0..<plane { counts[p] &+= UInt16(candidates[other + p]) }
                }
                for p in 0..<plane where mask[p] == 1 && Int(counts[p]) > depthLimit { mask[p] = 0 }
            }
            clearShort(&mask, angles: angles, columns: X, half: halfLength, below: lengthLimit)
            clearShort(&mask, angles: angles, columns: X, half: halfLength, below: halfLength)
            for _ in 0..<settings.minWidth { mergeGaps(&mask, angles: angles, columns: X, width: settings.minWidth) }
            let row = j - wanted.lowerBound
            for k in 0..<angles {
                for i in 0..<X { result[(k * wanted.count + row) * X + i] = mask[k * X + i] }
            }
        }
        return result
    }

    /// The detector's weights of global row `j`: min(ratio(plate, right), ratio(plate, left)), summed in the C
    /// code's order in float32.
    static func ratioWeights(_ g: UnsafeBufferPointer<Float>, row j: Int, rows: Range<Int>, totalRows: Int,
                             angles: Int, columns X: Int, radius r: Int, into w: UnsafeMutableBufferPointer<Float>) {
        let plane = angles * X
        func mirrored(_ base: Int, _ m: Int, _ n: Int) -> Int {
            let p = base + m
            return p < 0 || p >= n ? base - m : p
        }
        var plate = [Float](repeating: 0, count: X)
        var right = [Float](repeating: 0, count: X)
        var left = [Float](repeating: 0, count: X)
        let platePixels = Float((2 * r + 1) * (2 * r + 1)), sidePixels = Float(r * 3)
        for k in 0..<angles {
            for i in 0..<X {
                plate[i] = 0
                right[i] = 0
                left[i] = 0
            }
            for jm in -r...r {
                let j1 = mirrored(j, jm, totalRows) - rows.lowerBound
                for km in -r...r {
                    let source = j1 * plane + mirrored(k, km, angles) * X
                    for i in 0..<X { plate[i] += g[source + i] }
                }
            }
            for jm in -1...1 {
                let line = (mirrored(j, jm, totalRows) - rows.lowerBound) * plane + k * X
                for im in 1...r {
                    for i in 0..<X { right[i] += g[line + (i + im < X ? i + im : i - im)] }
                }
                for im in -r...(-1) {
                    for i in 0..<X { left[i] += g[line + (i + im >= 0 ? i + im : i - im)] }
                }
            }
            for i in 0..<X {
                let p = plate[i] / platePixels, h1 = right[i] / sidePixels, h2 = left[i] / sidePixels
                w[k * X + i] = min(ratio(p, h1), ratio(p, h2))
            }
        }
    }

    /// The smaller of two non-negative means divided by the larger; 0 when both are 0.
    @inline(__always)
    static func ratio(_ a: Float, _ b: Float) -> Float {
        if b >= a && b != 0 { return a / b }
        if b < a && a != 0 { return b / a }
        return 0
    }

    /// Calls `body(k, i, n)` with the number n of set values of column i within angles k ± `half`, mirrored about
    /// k at the ends (k − m for k + m outside): one prefix sum per column.
    static func countAlongAngles(_ values: [UInt8], angles: Int, columns X: Int, half: Int,
                                 _ body: (Int, Int, Int) -> Void) {
        var prefix = [Int32](repeating: 0, count: (angles + 1) * X)
        for k in 0..<angles {
            for i in 0..<X { prefix[(k + 1) * X + i] = prefix[k * X + i] + Int32(values[k * X + i]) }
        }
        for k in 0..<angles {
            let lo = k - half, hi = k + half
            for i in 0..<X {
                func sum(_ a: Int, _ b: Int) -> Int { Int(prefix[(b + 1) * X + i] - prefix[a * X + i]) }
                var n = sum(max(lo, 0), min(hi, angles - 1))
                if lo < 0 { n += sum(2 * k + 1, hi) }               // k − m for m in −half..<−k
                if hi >= angles { n += sum(lo, 2 * k - angles) }    // k − m for m in angles−k...half
                body(k, i, n)
            }
        }
    }

    /// Clears set voxels with fewer than `below` set voxels within ±`half` angles (the length rules).
    static func clearShort(_ mask: inout [UInt8], angles: Int, columns: Int, half: Int, below: Int) {
        let before = mask
        countAlongAngles(before, angles: angles, columns: columns, half: half) { k, i, n in
            if before[k * columns + i] == 1 && n < below { mask[k * columns + i] = 0 }
        }
    }

    /// One merging pass: a zero voxel becomes 1 when set voxels lie on both sides within ±width/2 columns, or else
    /// on both sides within ±2·width angles (each side includes the voxel itself, mirrored at the ends).
    static func mergeGaps(_ mask: inout [UInt8], angles: Int, columns X: Int, width: Int) {
        let before = mask
        let halfWidth = width / 2, reach = 2 * width
        // Prefix sums along columns (per angle) and along angles (per column).
        var rowPrefix = [Int32](repeating: 0, count: angles * (X + 1))
        var columnPrefix = [Int32](repeating: 0, count: (angles + 1) * X)
        for k in 0..<angles {
            for i in 0..<X {
                let v = Int32(before[k * X + i])
                rowPrefix[k * (X + 1) + i + 1] = rowPrefix[k * (X + 1) + i] + v
                columnPrefix[(k + 1) * X + i] = columnPrefix[k * X + i] + v
            }
        }
        /// Whether any voxel is set among positions p + x for x in `offsets`, mirrored (p − x) outside 0..<n.
        func anySet(_ p: Int, _ offsets: ClosedRange<Int>, _ n: Int, _ count: (Int, Int) -> Int32) -> Bool {
            let lo = p + offsets.lowerBound, hi = p + offsets.upperBound
            if count(max(lo, 0), min(hi, n - 1)) > 0 { return true }
            // Offsets below −p map to p − x in 2p+1...p − lower; offsets from n − p on to p − upper...2p − n.
            if lo < 0 && count(2 * p + 1, p - offsets.lowerBound) > 0 { return true }
            if hi >= n && count(p - offsets.upperBound, 2 * p - n) > 0 { return true }
            return false
        }
        for k in 0..<angles {
            for i in 0..<X where before[k * X + i] == 0 {
                let alongRow: (Int, Int) -> Int32 = { a, b in
                    a > b ? 0 : rowPrefix[k * (X + 1) + b + 1] - rowPrefix[k * (X + 1) + a]
                }
                if anySet(i, -halfWidth...0, X, alongRow) && anySet(i, 0...halfWidth, X, alongRow) {
                    mask[k * X + i] = 1
                    continue
                }
                let alongColumn: (Int, Int) -> Int32 = { a, b in
                    a > b ? 0 : columnPrefix[(b + 1) * X + i] - columnPrefix[a * X + i]
                }
                if anySet(k, -reach...0, angles, alongColumn) && anySet(k, 0...reach, angles, alongColumn) {
                    mask[k * X + i] = 1
                }
            }
        }
    }
}
