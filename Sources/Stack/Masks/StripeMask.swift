import Core

/// The parameters of Larix's STRIPES_DETECT and STRIPES_MERGE (docs/reference/tomography.md §8); the defaults are
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
    public func validate(angles: Int, rows: Int, columns: Int) throws(ConfigError) {
        if size < 1 { throw ConfigError(key: "mask.size", "must be at least 1 (got \(size))") }
        if radius < 1 { throw ConfigError(key: "mask.radius", "must be at least 1 (got \(radius))") }
        if !(threshold.isFinite) { throw ConfigError(key: "mask.threshold", "must be a number") }
        if minLength < 1 { throw ConfigError(key: "mask.min_length", "must be at least 1 (got \(minLength))") }
        if minDepth < 0 { throw ConfigError(key: "mask.min_depth", "must be at least 0 (got \(minDepth))") }
        if minWidth < 0 { throw ConfigError(key: "mask.min_width", "must be at least 0 (got \(minWidth))") }
        if !(sensitivity >= 0 && sensitivity <= 100) {
            throw ConfigError(key: "mask.sensitivity", "must be a percentage (got \(sensitivity))")
        }
        let angleReach = max(size, minLength / 2, 2 * minWidth)
        if angles <= 2 * angleReach {
            throw ConfigError(key: "mask", "the windows reach \(angleReach) angles (size \(size), min_length "
                               + "\(minLength), min_width \(minWidth)) but the scan has only \(angles); "
                               + "it needs more than \(2 * angleReach)")
        }
        let rowReach = max(radius, minDepth / 2)
        if rows <= 2 * rowReach {
            throw ConfigError(key: "mask", "the windows reach \(rowReach) rows (radius \(radius), min_depth "
                               + "\(minDepth)) but the scan has only \(rows); it needs more than \(2 * rowReach)")
        }
        let columnReach = max(radius, minWidth / 2, 2)
        if columns <= 2 * columnReach {
            throw ConfigError(key: "mask", "the windows reach \(columnReach) columns but the scan has only "
                               + "\(columns); it needs more than \(2 * columnReach)")
        }
    }
}

/// Larix's stripe detector and mask (STRIPES_DETECT then STRIPES_MERGE; the same C code is tomopy's
/// `stripes_detect3d` and `stripes_mask3d`), computed for a run of detector rows from the sinograms of
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
///
/// Rows stream through: |G| is kept for the 2r+1 rows one row's weights need and the candidates for the depth/2
/// rows on each side, so memory beyond the caller's sinograms does not grow with the rows. Sums run in float32 in
/// the C code's order, so the weights are the C code's bit for bit; rule (4) stops early once a pass changes
/// nothing (every later pass would repeat it), and planes without candidates skip the merge.
public enum StripeMask {
    /// The sinogram of a global detector row: calls `body` with `line(k)`, the row's columns at angle k (valid
    /// until the next call of `line`).
    public typealias Sinogram = (_ row: Int, _ body: (_ line: (Int) -> UnsafePointer<Float>) -> Void) -> Void

    /// The mask of rows `wanted` (global row numbers) of a volume of `totalRows` rows, one (angle, column) plane
    /// per row: laid out [row of `wanted`][angle][column]. `sinogram` is asked once for each row of `wanted` widened
    /// by the ghost rows (clipped to the volume), in increasing order.
    public static func compute(angles: Int, columns: Int, totalRows: Int, wanted: Range<Int>,
                               settings: StripeMaskSettings, sinogram: Sinogram) -> [UInt8] {
        precondition((try? settings.validate(angles: angles, rows: totalRows, columns: columns)) != nil,
                     "stripe-mask windows larger than the volume")
        let r = settings.radius, halfDepth = settings.minDepth / 2
        let weighted = max(0, wanted.lowerBound - halfDepth)..<min(totalRows, wanted.upperBound + halfDepth)
        let gradientRows = max(0, weighted.lowerBound - r)..<min(totalRows, weighted.upperBound + r)
        let work = Workspace(angles: angles, columns: columns, settings: settings)
        var result = [UInt8](repeating: 0, count: angles * wanted.count * columns)
        var nextGradient = gradientRows.lowerBound, nextCandidate = weighted.lowerBound
        for j in wanted {
            // Candidates of rows up to j + depth/2, each from the |G| of rows up to r beyond it.
            while nextCandidate < min(j + halfDepth + 1, weighted.upperBound) {
                while nextGradient < min(nextCandidate + r + 1, gradientRows.upperBound) {
                    work.storeGradient(row: nextGradient, sinogram)
                    nextGradient += 1
                }
                work.storeCandidates(row: nextCandidate, totalRows: totalRows)
                nextCandidate += 1
            }
            result.withUnsafeMutableBufferPointer { out in
                work.merge(row: j, totalRows: totalRows, into: out.baseAddress! + (j - wanted.lowerBound) * work.plane)
            }
        }
        return result
    }

    /// The memory ``compute(angles:columns:totalRows:wanted:settings:sinogram:)`` uses besides the sinograms and
    /// its result, in bytes.
    public static func workspaceBytes(angles: Int, columns: Int, settings: StripeMaskSettings) -> Int {
        // |G| ring (float), candidate ring, below/mask planes, prefix sums along angles and along columns (Int32),
        // depth counts (UInt16).
        let plane = angles * columns
        return plane * (4 * (2 * settings.radius + 1) + (2 * (settings.minDepth / 2) + 2) + 2 + 4 + 4 + 2)
    }

    /// The planes one mask computation works in, allocated once per call; row y's |G| and candidates sit in ring
    /// slots y mod the ring size. The candidate ring holds one row more than the depth window, so that the window's
    /// counts can slide from row to row.
    final class Workspace {
        let angles: Int, columns: Int, settings: StripeMaskSettings
        let plane: Int, gradientSlots: Int, candidateSlots: Int
        let gradients: UnsafeMutablePointer<Float>
        let candidates: UnsafeMutablePointer<UInt8>
        /// Weights at or below the threshold; the mask being merged.
        let below: UnsafeMutablePointer<UInt8>, mask: UnsafeMutablePointer<UInt8>
        /// Prefix sums along angles ((angles + 1) × columns) and along columns (angles × (columns + 1)).
        let anglePrefix: UnsafeMutablePointer<Int32>, columnPrefix: UnsafeMutablePointer<Int32>
        /// Candidates within the depth window of row `countedRow` (nil: none counted yet, or mirrored there).
        let depthCounts: UnsafeMutablePointer<UInt16>
        var countedRow: Int?
        /// One angle line each: the plate and side sums, and window counts.
        let plate: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, left: UnsafeMutablePointer<Float>
        let windowCounts: UnsafeMutablePointer<Int32>

        init(angles: Int, columns: Int, settings: StripeMaskSettings) {
            (self.angles, self.columns, self.settings) = (angles, columns, settings)
            plane = angles * columns
            gradientSlots = 2 * settings.radius + 1
            candidateSlots = 2 * (settings.minDepth / 2) + 2
            func zeros<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: count)
                p.initialize(repeating: 0, count: count)
                return p
            }
            gradients = zeros(gradientSlots * plane)
            candidates = zeros(candidateSlots * plane)
            below = zeros(plane)
            mask = zeros(plane)
            anglePrefix = zeros((angles + 1) * columns)
            columnPrefix = zeros(angles * (columns + 1))
            depthCounts = zeros(plane)
            plate = zeros(columns)
            right = zeros(columns)
            left = zeros(columns)
            windowCounts = zeros(columns)
        }

        deinit {
            for p in [gradients, plate, right, left] as [UnsafeMutablePointer<Float>] { p.deallocate() }
            for p in [candidates, below, mask] { p.deallocate() }
            for p in [anglePrefix, columnPrefix, windowCounts] { p.deallocate() }
            depthCounts.deallocate()
        }

        /// |G| of global row `row`: |in[i+2] − in[i]|, or |in[i−2] − in[i]| for the last two columns.
        func storeGradient(row: Int, _ sinogram: Sinogram) {
            let (A, X) = (angles, columns)
            let base = gradients + row % gradientSlots * plane
            sinogram(row) { line in
                for k in 0..<A {
                    let v = line(k), out = base + k * X
                    let ahead = v + 2, behind = v - 2
                    for i in 0..<X - 2 { out[i] = abs(ahead[i] - v[i]) }
                    for i in X - 2..<X { out[i] = abs(behind[i] - v[i]) }
                }
            }
        }

        /// The candidates of global row `c` (the median of its weights along angles ≤ threshold), from the |G| of
        /// rows c ± r.
        func storeCandidates(row c: Int, totalRows: Int) {
            let (A, X, r) = (angles, columns, settings.radius)
            let threshold = settings.threshold, size = Int32(settings.size)
            let platePixels = Float((2 * r + 1) * (2 * r + 1)), sidePixels = Float(r * 3)
            let (plate, right, left) = (plate, right, left)
            /// Global row y's |G| plane.
            func rowPlane(_ y: Int) -> UnsafePointer<Float> { UnsafePointer(gradients + y % gradientSlots * plane) }
            var plateLines = [UnsafePointer<Float>](repeating: gradients, count: (2 * r + 1) * (2 * r + 1))
            for k in 0..<A {
                right.update(repeating: 0, count: X)
                left.update(repeating: 0, count: X)
                var n = 0
                for jm in -r...r {
                    let source = rowPlane(mirrored(c, jm, totalRows))
                    for km in -r...r {
                        plateLines[n] = source + mirrored(k, km, A) * X
                        n += 1
                    }
                }
                plateLines.withUnsafeBufferPointer { sumLines($0, count: X, into: plate) }
                for jm in -1...1 {
                    let line = rowPlane(mirrored(c, jm, totalRows)) + k * X
                    // Columns past either edge mirror about the voxel (i − m for i + m outside).
                    // (Shifted pointers, not i ± m, keep the index arithmetic free of overflow checks: vectorised.)
                    for m in 1...r {
                        let ahead = line + m, behind = line - m
                        for i in 0..<X - m { right[i] += ahead[i] }
                        for i in X - m..<X { right[i] += behind[i] }
                    }
                    for m in 1...r {
                        let ahead = line + m, behind = line - m
                        for i in 0..<m { left[i] += ahead[i] }
                        for i in m..<X { left[i] += behind[i] }
                    }
                }
                let out = below + k * X
                for i in 0..<X {
                    let p = plate[i] / platePixels, h1 = right[i] / sidePixels, h2 = left[i] / sidePixels
                    out[i] = min(ratio(p, h1), ratio(p, h2)) <= threshold ? 1 : 0
                }
            }
            // sorted[size − 1] ≤ t ⇔ at least `size` values ≤ t.
            let base = candidates + c % candidateSlots * plane
            countAlongAngles(below, half: settings.size) { k, n in
                let out = base + k * X
                for i in 0..<X { out[i] = n[i] >= size ? 1 : 0 }
            }
        }

        /// The merged mask of global row `j` (its candidates and those within ±depth/2 rows stored, and those of
        /// row j − depth/2 − 1 when row j − 1 was merged before), written to the plane `out`.
        func merge(row j: Int, totalRows: Int, into out: UnsafeMutablePointer<UInt8>) {
            let (plane, mask) = (plane, mask)
            let halfDepth = settings.minDepth / 2
            let sensitivity = 0.01 * settings.sensitivity
            let depthLimit = UInt16(clamping: Int(sensitivity * Float(settings.minDepth)))
            let lengthLimit = Int(sensitivity * Float(settings.minLength))
            let halfLength = settings.minLength / 2
            func candidates(_ y: Int) -> UnsafePointer<UInt8> {
                UnsafePointer(self.candidates + y % candidateSlots * plane)
            }
            mask.update(from: candidates(j), count: plane)
            if settings.minDepth != 0 {
                let n = depthCounts
                let unmirrored = j - halfDepth >= 0 && j + halfDepth < totalRows
                if unmirrored && countedRow == j - 1 {
                    // The window slides by a row: exact, the counts are integers.
                    let entering = candidates(j + halfDepth), leaving = candidates(j - halfDepth - 1)
                    for p in 0..<plane { n[p] = n[p] &+ UInt16(entering[p]) &- UInt16(leaving[p]) }
                } else {
                    n.update(repeating: 0, count: plane)
                    for d in -halfDepth...halfDepth {
                        let other = candidates(mirrored(j, d, totalRows))
                        for p in 0..<plane { n[p] &+= UInt16(other[p]) }
                    }
                }
                countedRow = unmirrored ? j : nil
                for p in 0..<plane { mask[p] = n[p] > depthLimit ? 0 : mask[p] }
            }
            var any: UInt8 = 0
            for p in 0..<plane { any |= mask[p] }
            if any != 0 {
                clearShort(half: halfLength, below: lengthLimit)
                clearShort(half: halfLength, below: halfLength)
                for _ in 0..<settings.minWidth {
                    if !mergeGaps() { break }  // a pass that changes nothing would repeat itself
                }
            }
            out.update(from: mask, count: plane)
        }

        /// Clears set voxels of the mask with fewer than `minimum` set voxels within ±`half` angles (the length
        /// rules). Every count comes from prefix sums taken before the first voxel is cleared.
        func clearShort(half: Int, below minimum: Int) {
            let (X, mask, minimum) = (columns, mask, Int32(minimum))
            countAlongAngles(mask, half: half) { k, n in
                let line = mask + k * X
                for i in 0..<X { line[i] = n[i] < minimum ? 0 : line[i] }
            }
        }

        /// Calls `body(k, n)` for every angle k, n[i] the number of set values of column i of `values` (a plane)
        /// within angles k ± `half`, mirrored about k at the ends.
        func countAlongAngles(_ values: UnsafePointer<UInt8>, half: Int,
                              _ body: (_ k: Int, _ n: UnsafePointer<Int32>) -> Void) {
            StripeMask.countAlongAngles(values, angles: angles, columns: columns, half: half, prefix: anglePrefix,
                                        counts: windowCounts, body)
        }

        /// One merging pass of rule (4) over the mask: a zero voxel becomes 1 when set voxels lie on both sides
        /// within ±width/2 columns, or else on both sides within ±2·width angles (each side includes the voxel
        /// itself, mirrored at the ends). Whether any voxel changed.
        func mergeGaps() -> Bool {
            let (A, X, m) = (angles, columns, mask)
            let halfWidth = settings.minWidth / 2, reach = 2 * settings.minWidth
            let (along, across) = (anglePrefix, columnPrefix)
            // Prefix sums of the mask before this pass: along angles per column, along columns per angle.
            along.update(repeating: 0, count: X)
            for k in 0..<A {
                let line = m + k * X, before = along + k * X, after = before + X
                for i in 0..<X { after[i] = before[i] &+ Int32(line[i]) }
                let sums = across + k * (X + 1)
                sums[0] = 0
                for i in 0..<X { sums[i + 1] = sums[i] &+ Int32(line[i]) }
            }
            // A voxel set in this pass is read once, before it is set; the sums hold the previous pass.
            var changed = false
            for k in 0..<A {
                let line = m + k * X, sums = across + k * (X + 1)
                let inRow: (Int, Int) -> Int32 = { a, b in sums[b + 1] - sums[a] }
                for i in 0..<X where line[i] == 0 {
                    let inColumn: (Int, Int) -> Int32 = { a, b in along[(b + 1) * X + i] - along[a * X + i] }
                    if anySet(i, -halfWidth...0, X, inRow) && anySet(i, 0...halfWidth, X, inRow)
                        || anySet(k, -reach...0, A, inColumn) && anySet(k, 0...reach, A, inColumn) {
                        line[i] = 1
                        changed = true
                    }
                }
            }
            return changed
        }
    }

    /// out[i] = Σ lines[l][i] in float32, summed in the order of `lines` from 0; 32 columns at a time in
    /// registers (one pass over the output instead of one per line).
    static func sumLines(_ lines: UnsafeBufferPointer<UnsafePointer<Float>>, count: Int,
                         into out: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        var i = 0
        while i + 32 <= count {
            var (a, b, c, d) = (V.zero, V.zero, V.zero, V.zero)
            for line in lines {
                let p = line + i
                a += load(p)
                b += load(p + 8)
                c += load(p + 16)
                d += load(p + 24)
            }
            let o = UnsafeMutableRawPointer(out + i)
            o.storeBytes(of: a, as: V.self)
            o.storeBytes(of: b, toByteOffset: 32, as: V.self)
            o.storeBytes(of: c, toByteOffset: 64, as: V.self)
            o.storeBytes(of: d, toByteOffset: 96, as: V.self)
            i += 32
        }
        for i in i..<count {
            var sum: Float = 0
            for line in lines { sum += line[i] }
            out[i] = sum
        }
    }

    /// Index `base + m` of an axis of length n, mirrored about `base` (base − m) outside it, as the C code does.
    @inline(__always)
    static func mirrored(_ base: Int, _ m: Int, _ n: Int) -> Int {
        let p = base + m
        return p < 0 || p >= n ? base - m : p
    }

    /// Whether `count(a, b)` (the set voxels in a...b) is positive for any position p + x, x in `offsets`, mirrored
    /// (p − x) outside 0..<n.
    @inline(__always)
    static func anySet(_ p: Int, _ offsets: ClosedRange<Int>, _ n: Int, _ count: (Int, Int) -> Int32) -> Bool {
        let lo = p + offsets.lowerBound, hi = p + offsets.upperBound
        if count(max(lo, 0), min(hi, n - 1)) > 0 { return true }
        // Offsets below −p map to p − x in 2p+1...p − lower; offsets from n − p on to p − upper...2p − n.
        // Both mirrored ranges are non-empty and inside 0..<n when n exceeds twice the window's reach.
        if lo < 0 && count(2 * p + 1, p - offsets.lowerBound) > 0 { return true }
        if hi >= n && count(p - offsets.upperBound, 2 * p - n) > 0 { return true }
        return false
    }

    /// The smaller of two non-negative means divided by the larger; 0 when both are 0.
    @inline(__always)
    static func ratio(_ a: Float, _ b: Float) -> Float {
        if b >= a && b != 0 { return a / b }
        if b < a && a != 0 { return b / a }
        return 0
    }

    /// Calls `body(k, n)` for every angle k, with n[i] the number of set values of column i of `values` (angles ×
    /// columns) within angles k ± `half`, mirrored about k at the ends (k − m for k + m outside). `prefix` holds
    /// (angles + 1) × columns sums, `counts` one line; `half` must be less than `angles`.
    static func countAlongAngles(_ values: UnsafePointer<UInt8>, angles A: Int, columns X: Int, half: Int,
                                 prefix: UnsafeMutablePointer<Int32>, counts n: UnsafeMutablePointer<Int32>,
                                 _ body: (_ k: Int, _ n: UnsafePointer<Int32>) -> Void) {
        prefix.update(repeating: 0, count: X)
        for k in 0..<A {
            let line = values + k * X, before = prefix + k * X, after = before + X
            for i in 0..<X { after[i] = before[i] &+ Int32(line[i]) }
        }
        /// Adds the sums over angles a...b to n.
        func add(_ a: Int, _ b: Int) {
            let upper = prefix + (b + 1) * X, lower = prefix + a * X
            for i in 0..<X { n[i] &+= upper[i] &- lower[i] }
        }
        for k in 0..<A {
            let lo = k - half, hi = k + half
            n.update(repeating: 0, count: X)
            add(max(lo, 0), min(hi, A - 1))
            if lo < 0 { add(2 * k + 1, hi) }               // k − m for m in −half..<−k
            if hi >= A { add(lo, 2 * k - A) }              // k − m for m in A−k...half
            body(k, n)
        }
    }
}
