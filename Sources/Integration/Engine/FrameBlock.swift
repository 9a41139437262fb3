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
    mutating func load<T: FrameValue>(_ frames: [UnsafeBufferPointer<T>], tile: Range<Int>) {
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
