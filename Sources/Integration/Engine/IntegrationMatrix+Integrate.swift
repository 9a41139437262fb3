import Foundation

/// Which pixel values are excluded frame by frame, on top of the static mask.
public struct DynamicMask: Sendable, Equatable {
    /// Exclude negative values (Pilatus marks gaps and bad pixels with -1 and -2).
    public var negative: Bool
    /// Exclude values at or above this one (saturated or overflowed pixels; Eiger marks them with the type's
    /// maximum).
    public var overflow: Float?

    public init(negative: Bool = true, overflow: Float? = nil) {
        self.negative = negative
        self.overflow = overflow
    }
}

/// Up to ``lanes`` frames side by side, pixel-major (the values of one pixel in all frames are adjacent), one tile
/// of ``tilePixels`` pixels at a time, so that a pass over the matrices integrates all frames while the tile stays
/// in cache. Excluded pixels hold 0 and are listed (over all tiles), with the frames (lanes) that exclude them, for
/// the matrices to take out of their bins' areas.
public struct FrameBlock: Sendable {
    public static let lanes = 8
    /// Pixels per tile: 4096 × 32 B = 128 KiB, which stays in L2 while every matrix reads it.
    public static let tilePixels = 4096
    /// The number of frames loaded.
    public let count: Int
    /// The pixels of the current tile.
    public private(set) var tile: Range<Int> = 0..<0
    var values: [SIMD8<Float>]
    /// Pixels excluded in at least one frame, and per pixel the lanes (bit i: frame i) that exclude it.
    var excludedPixels: [Int32] = []
    var excludedLanes: [UInt8] = []
    /// Per lane: excluded pixels and the sum of the others, over the tiles loaded so far.
    var excludedCounts = SIMD8<Int32>.zero
    var totals = SIMD8<Double>.zero
    private let negative: SIMDMask<SIMD8<Int32>>
    private let limit: SIMD8<Float>

    /// A block for `frames` frames (at most ``lanes``) with their dynamic masks.
    public init(frames: Int, masks: [DynamicMask]) {
        precondition(frames <= Self.lanes && frames == masks.count)
        count = frames
        values = [SIMD8<Float>](repeating: .zero, count: Self.tilePixels)
        var negative = SIMDMask<SIMD8<Int32>>(repeating: false)
        var limit = SIMD8<Float>(repeating: .infinity)
        for (lane, mask) in masks.enumerated() {
            negative[lane] = mask.negative
            limit[lane] = mask.overflow ?? .infinity
        }
        // Lanes without a frame are excluded whatever their value reads as.
        for lane in frames..<Self.lanes { limit[lane] = -.infinity }
        self.negative = negative
        self.limit = limit
    }

    /// Per frame, the number of excluded pixels and the sum of the others, over the tiles loaded so far.
    public var loaded: [(excluded: Int, total: Double)] {
        (0..<count).map { (Int(excludedCounts[$0]), totals[$0]) }
    }

    /// Loads the pixels `tile` of the frames (each of the block's frame count, the whole frame), excluding what
    /// each frame's mask excludes; frames of one integer or float type convert as they load.
    public mutating func load<T: FrameValue>(_ frames: [UnsafeBufferPointer<T>], tile: Range<Int>) {
        precondition(frames.count == count && tile.count <= Self.tilePixels)
        precondition(frames.allSatisfy { $0.count >= tile.upperBound })
        self.tile = tile
        // Lanes without a frame read a row of T.excluded.
        let padding = [T](repeating: T.excluded, count: count < Self.lanes ? tile.count : 0)
        let (negative, limit, first) = (self.negative, self.limit, tile.lowerBound)
        var excluded = SIMD8<Int32>.zero
        var sum = SIMD8<Double>.zero
        padding.withUnsafeBufferPointer { pad in
            let f = (0..<Self.lanes).map { $0 < frames.count ? frames[$0].baseAddress! + first : pad.baseAddress! }
            let (f0, f1, f2, f3, f4, f5, f6, f7) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7])
            values.withUnsafeMutableBufferPointer { v in
                // Sums in float over runs of 256 pixels (exact for counts below 2^24 / 256), then in double.
                var run = 0
                while run < tile.count {
                    var partial = SIMD8<Float>.zero
                    for q in run..<min(tile.count, run + 256) {
                        let x = SIMD8<Float>(f0[q].float, f1[q].float, f2[q].float, f3[q].float,
                                             f4[q].float, f5[q].float, f6[q].float, f7[q].float)
                        let bad = (x .!= x) .| (x .>= limit) .| (negative .& (x .< SIMD8<Float>.zero))
                        if any(bad) {
                            var bits: UInt8 = 0
                            for lane in 0..<Self.lanes where bad[lane] { bits |= 1 << UInt8(lane) }
                            excludedPixels.append(Int32(first + q))
                            excludedLanes.append(bits)
                            excluded &+= SIMD8<Int32>.zero.replacing(with: 1, where: bad)
                            let kept = x.replacing(with: 0, where: bad)
                            v[q] = kept
                            partial += kept
                        } else {
                            v[q] = x
                            partial += x
                        }
                    }
                    sum += SIMD8<Double>(partial)
                    run += 256
                }
            }
        }
        excludedCounts &+= excluded
        totals += sum
    }
}

/// A pixel type frames are stored in.
public protocol FrameValue: BitwiseCopyable {
    var float: Float { get }
    /// A value for lanes without a frame (any value: those lanes are excluded).
    static var excluded: Self { get }
}

extension Float: FrameValue {
    @inline(__always) public var float: Float { self }
    public static var excluded: Float { .nan }
}
extension Int32: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: Int32 { -1 }
}
extension UInt32: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: UInt32 { .max }
}
extension UInt16: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: UInt16 { .max }
}
extension Int16: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: Int16 { -1 }
}
extension UInt8: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: UInt8 { .max }
}

/// One frame's curve from one integration.
public struct IntegratedCurve: Sendable, Equatable {
    /// The split-weighted mean of the corrected pixel values in each bin (SAXSDog's intensity).
    public var intensity: [Double]
    /// Its standard error, propagated from Poisson variances max(n, 1) with the split weights:
    /// √(Σ c²·corr²·max(n, 1)) / Σ c (pyFAI's `sem` for the same estimator).
    public var standardError: [Double]
    /// SAXSDog's "Error Margin": √(Σ c·n·corr) / Σ c (its `.chi` third column; not a propagated error when pixels
    /// are split).
    public var saxsdogError: [Double]
    /// The split-weighted standard deviation of the corrected pixel values within each bin.
    public var deviation: [Double]
}

extension IntegrationMatrix {
    /// Integrates up to ``FrameBlock/lanes`` frames (each a whole frame of one type) with every matrix, tile by
    /// tile: each tile of the frames is loaded once and passed through all matrices while it is in cache.
    /// - Returns: per matrix, one curve per frame; per frame, its excluded pixels and the sum of the others.
    public static func integrate<T: FrameValue>(
        _ frames: [UnsafeBufferPointer<T>], masks: [DynamicMask], with matrices: [IntegrationMatrix],
        empty: Double = .nan
    ) -> (curves: [[IntegratedCurve]], loaded: [(excluded: Int, total: Double)]) {
        let pixels = frames.first?.count ?? 0
        precondition(matrices.allSatisfy { $0.rows * $0.columns == pixels })
        var block = FrameBlock(frames: frames.count, masks: masks)
        var sums = matrices.map { [SIMD8<Double>](repeating: .zero, count: 4 * $0.bins) }
        var first = 0
        while first < pixels {
            block.load(frames, tile: first..<min(pixels, first + FrameBlock.tilePixels))
            for m in matrices.indices { matrices[m].accumulate(block, into: &sums[m]) }
            first = block.tile.upperBound
        }
        let curves = matrices.indices.map { matrices[$0].curves(sums[$0], block: block, empty: empty) }
        return (curves, block.loaded)
    }

    /// Adds the block's current tile to the sums S, Q and V of each bin (slots 1–3 of each bin's four; see
    /// ``curves(_:block:empty:)``), pixel by pixel through the by-pixel copy of the matrix.
    func accumulate(_ block: FrameBlock, into sums: inout [SIMD8<Double>]) {
        let tile = block.tile
        block.values.withUnsafeBufferPointer { values in
            let x = UnsafeBufferPointer(rebasing: values[0..<tile.count])
            pixelStart.withUnsafeBufferPointer { allStarts in
                // Starts of the tile's pixels and of the one after.
                let start = UnsafeBufferPointer(rebasing: allStarts[tile.lowerBound...tile.upperBound])
                pixelBin.withUnsafeBufferPointer { bin in
                    pixelWeight.withUnsafeBufferPointer { wt in
                        sums.withUnsafeMutableBufferPointer { out in
                            if let correction {
                                correction.withUnsafeBufferPointer { all in
                                    let g = UnsafeBufferPointer(rebasing: all[tile])
                                    Self.accumulate(x: x, start: start, bin: bin, wt: wt, g: g, out: out)
                                }
                            } else {
                                Self.accumulate(x: x, start: start, bin: bin, wt: wt, out: out)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The curves of the block's frames from the sums of all its tiles.
    ///
    /// Per bin k and frame, over the unexcluded pixels p with weight c and correction g:
    /// A = Σ c, S = Σ c·g·n, Q = Σ c·(g·n)², V = Σ c²·g²·max(n, 1); then I = S/A, sem = √V/A,
    /// SAXSDog's error √S/A (with the weights' scale restored), std = √(Q/A − I²). Bins without pixels give
    /// `empty` (NaN as current SAXSDog, or 0 as its older files).
    ///
    /// Excluded pixels hold 0 in the block, so S and Q need no test per entry; A starts from the bin's static
    /// area and V from the full sum, and the few excluded pixels are taken out of both here.
    func curves(_ sums: [SIMD8<Double>], block: FrameBlock, empty: Double) -> [IntegratedCurve] {
        var sums = sums
        for k in 0..<bins { sums[4 * k] = SIMD8(repeating: weightSum[k]) }
        // Take excluded pixels out: their value is 0, so only A and V (which counted max(0, 1) = 1) change.
        for (p, lanes) in zip(block.excludedPixels, block.excludedLanes) {
            var lane = SIMD8<Double>.zero
            for i in 0..<FrameBlock.lanes where lanes & (1 << UInt8(i)) != 0 { lane[i] = 1 }
            let c2 = correction.map { Double($0[Int(p)]) * Double($0[Int(p)]) } ?? 1
            for r in Int(pixelStart[Int(p)])..<Int(pixelStart[Int(p) + 1]) {
                let k = Int(pixelBin[r])
                let w = Double(pixelWeight[r])
                sums[4 * k] -= w * lane
                sums[4 * k + 3] -= (w * w * c2) * lane
            }
        }
        let rootScale = weightScale.squareRoot()
        return (0..<block.count).map { lane in
            var curve = IntegratedCurve(intensity: [Double](repeating: empty, count: bins),
                                        standardError: [Double](repeating: empty, count: bins),
                                        saxsdogError: [Double](repeating: empty, count: bins),
                                        deviation: [Double](repeating: empty, count: bins))
            for k in 0..<bins {
                let a = sums[4 * k][lane]
                guard a > 0 else { continue }
                let s = sums[4 * k + 1][lane], q = sums[4 * k + 2][lane], v = sums[4 * k + 3][lane]
                let mean = s / a
                curve.intensity[k] = mean
                curve.standardError[k] = v.squareRoot() / a
                curve.saxsdogError[k] = s.squareRoot() / (rootScale * a)
                curve.deviation[k] = max(0, q / a - mean * mean).squareRoot()
            }
            return curve
        }
    }

    /// The sparse pass without a correction, pixel by pixel: S, Q and V per bin (slots 1–3 of each bin's four).
    /// `start` holds the starts of the pixels of `x` and of the one after them.
    private static func accumulate(x: UnsafeBufferPointer<SIMD8<Float>>, start: UnsafeBufferPointer<Int32>,
                                   bin: UnsafeBufferPointer<Int32>, wt: UnsafeBufferPointer<Float>,
                                   out: UnsafeMutableBufferPointer<SIMD8<Double>>) {
        let one = SIMD8<Double>(repeating: 1)
        for p in 0..<x.count {
            let first = Int(start[p]), end = Int(start[p + 1])
            if first == end { continue }
            let n = SIMD8<Double>(x[p])
            let n2 = n * n
            let poisson = n.replacing(with: one, where: n .< one)
            for r in first..<end {
                let k = 4 * Int(bin[r])
                let w = Double(wt[r])
                out[k + 1] += w * n
                out[k + 2] += w * n2
                out[k + 3] += (w * w) * poisson
            }
        }
    }

    /// The same with a per-pixel correction g: the corrected value g·n is binned, its variance g²·max(n, 1).
    private static func accumulate(x: UnsafeBufferPointer<SIMD8<Float>>, start: UnsafeBufferPointer<Int32>,
                                   bin: UnsafeBufferPointer<Int32>, wt: UnsafeBufferPointer<Float>,
                                   g: UnsafeBufferPointer<Float>, out: UnsafeMutableBufferPointer<SIMD8<Double>>) {
        let one = SIMD8<Double>(repeating: 1)
        for p in 0..<x.count {
            let first = Int(start[p]), end = Int(start[p + 1])
            if first == end { continue }
            let c = Double(g[p])
            let n = SIMD8<Double>(x[p])
            let y = c * n
            let y2 = y * y
            let variance = (c * c) * n.replacing(with: one, where: n .< one)
            for r in first..<end {
                let k = 4 * Int(bin[r])
                let w = Double(wt[r])
                out[k + 1] += w * y
                out[k + 2] += w * y2
                out[k + 3] += (w * w) * variance
            }
        }
    }
}
