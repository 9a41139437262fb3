import Core

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
    /// The sinogram of a global detector row: calls `body` with a ``Line`` giving the row's columns at each angle.
    public typealias Sinogram = (_ row: Int, _ body: (_ line: Line) -> Void) -> Void
    /// Angle k's columns of one row's sinogram: calls `body` with them (`line(k) { columns in … }`).
    public typealias Line = (_ angle: Int, _ body: (_ columns: Span<Float>) -> Void) -> Void

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
