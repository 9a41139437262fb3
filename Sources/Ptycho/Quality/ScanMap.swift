import Foundation

/// A per-position value (STXM, DPC) as an image over the stage: a raster scan's own grid (one cell per position),
/// or, for other scans (Fermat spirals), nearest-position gridding: cells of half the typical spacing take the
/// value of the nearest position within one spacing, the others are masked.
public struct ScanMap: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major, row 0 at the lowest y.
    public let values: [Float]
    /// 1 where no position is near.
    public let mask: [UInt8]
    /// The stage range the image spans (cell edges), m.
    public let x: ClosedRange<Double>
    public let y: ClosedRange<Double>
    /// Whether the positions form a raster (one cell each).
    public let isRaster: Bool

    /// The map of `values` at positions (`x`, `y`); at most `maxSide` cells a side.
    public init(x px: [Double], y py: [Double], values v: [Double], maxSide: Int = 256) {
        let n = px.count
        // Positions on a raster: nx distinct x times ny distinct y, every pair once (to 0.1 nm).
        func key(_ u: Double) -> Int64 { Int64((u * 1e10).rounded()) }
        let xs = Array(Set(px.map(key))).sorted(), ys = Array(Set(py.map(key))).sorted()
        let pairs = Set(zip(px, py).map { "\(key($0)),\(key($1))" })
        if n > 1, xs.count * ys.count == n, pairs.count == n, xs.count > 1, ys.count > 1 {
            let column = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, $0) })
            let row = Dictionary(uniqueKeysWithValues: ys.enumerated().map { ($1, $0) })
            var grid = [Float](repeating: .nan, count: n)
            for p in 0..<n { grid[row[key(py[p])]! * xs.count + column[key(px[p])]!] = Float(v[p]) }
            let sx = (px.max()! - px.min()!) / Double(xs.count - 1), sy = (py.max()! - py.min()!) / Double(ys.count - 1)
            (width, height, values, mask, isRaster) = (xs.count, ys.count, grid, [UInt8](repeating: 0, count: n), true)
            x = px.min()! - sx / 2...px.max()! + sx / 2
            y = py.min()! - sy / 2...py.max()! + sy / 2
            return
        }
        isRaster = false
        let spacing = Self.spacing(px, py)
        let (x0, x1, y0, y1) = (px.min() ?? 0, px.max() ?? 0, py.min() ?? 0, py.max() ?? 0)
        let cell = max(spacing / 2, max(x1 - x0, y1 - y0) / Double(maxSide - 1), 1e-12)
        // Cell centres from the lowest position on, up to the first at or past the highest.
        width = Int(((x1 - x0) / cell).rounded(.up)) + 1
        height = Int(((y1 - y0) / cell).rounded(.up)) + 1
        x = x0 - cell / 2...x0 + (Double(width) - 0.5) * cell
        y = y0 - cell / 2...y0 + (Double(height) - 0.5) * cell
        // Buckets of one spacing: the nearest position within one spacing lies in the 3 × 3 buckets around a cell.
        let bucketSize = max(spacing, cell)
        var buckets: [Int64: [Int]] = [:]
        func bucket(_ bx: Int, _ by: Int) -> Int64 { Int64(bx) << 32 | Int64(UInt32(bitPattern: Int32(by))) }
        for p in 0..<n {
            buckets[bucket(Int(((px[p] - x0) / bucketSize).rounded(.down)), Int(((py[p] - y0) / bucketSize).rounded(.down))), default: []].append(p)
        }
        var grid = [Float](repeating: .nan, count: width * height), holes = [UInt8](repeating: 1, count: width * height)
        for r in 0..<height {
            for c in 0..<width {
                let cx = x0 + Double(c) * cell, cy = y0 + Double(r) * cell
                let bx = Int(((cx - x0) / bucketSize).rounded(.down)), by = Int(((cy - y0) / bucketSize).rounded(.down))
                var best = -1, bestDistance = spacing * spacing
                for dy in -1...1 { for dx in -1...1 {
                    for p in buckets[bucket(bx + dx, by + dy)] ?? [] {
                        let d = (px[p] - cx) * (px[p] - cx) + (py[p] - cy) * (py[p] - cy)
                        if d < bestDistance || (d == bestDistance && p < best) { (best, bestDistance) = (p, d) }
                    }
                } }
                if best >= 0 { (grid[r * width + c], holes[r * width + c]) = (Float(v[best]), 0) }
            }
        }
        (values, mask) = (grid, holes)
    }

    /// The median distance from a position to its nearest neighbour, over the first 512 positions (a fixed,
    /// rank-independent sample).
    static func spacing(_ px: [Double], _ py: [Double]) -> Double {
        let sample = min(px.count, 512)
        guard px.count > 1 else { return 1e-6 }
        var nearest: [Double] = []
        for i in 0..<sample {
            var best = Double.infinity
            for j in px.indices where j != i {
                best = min(best, (px[i] - px[j]) * (px[i] - px[j]) + (py[i] - py[j]) * (py[i] - py[j]))
            }
            if best > 0, best.isFinite { nearest.append(best.squareRoot()) }
        }
        return nearest.isEmpty ? 1e-6 : DetectorResponse.median(nearest)
    }
}
