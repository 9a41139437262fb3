import Core
import Foundation

extension IntegrationMatrix {
    /// Integrates up to ``FrameBlock/lanes`` frames, stored one after another in `frames`, with every matrix.
    /// - Returns: per matrix, one curve per frame; per frame, its excluded pixels and the sum of the others.
    public static func integrate<T: FrameValue>(
        frames: Span<T>, count: Int, masks: [DynamicMask], with matrices: [IntegrationMatrix], empty: Double = .nan
    ) -> (curves: [[IntegratedCurve]], loaded: [(excluded: Int, total: Double)]) {
        precondition(count > 0 && frames.count % count == 0)
        let pixels = frames.count / count
        return frames.withUnsafeBufferPointer { all in
            integrate((0..<count).map { UnsafeBufferPointer(rebasing: all[$0 * pixels..<($0 + 1) * pixels]) },
                      masks: masks, with: matrices, empty: empty)
        }
    }

    /// Integrates up to ``FrameBlock/lanes`` frames of `pixels` values of `type` each (one pointer per frame, as
    /// ``FrameSource`` delivers them) with every matrix.
    static func integrate(_ frames: [UnsafeRawPointer], type: ElementType, pixels: Int, masks: [DynamicMask],
                          with matrices: [IntegrationMatrix], empty: Double = .nan)
        -> (curves: [[IntegratedCurve]], loaded: [(excluded: Int, total: Double)]) {
        func typed<T: FrameValue>(_: T.Type) -> (curves: [[IntegratedCurve]], loaded: [(excluded: Int, total: Double)]) {
            integrate(frames.map { UnsafeBufferPointer(start: $0.assumingMemoryBound(to: T.self), count: pixels) },
                      masks: masks, with: matrices, empty: empty)
        }
        return switch type {
        case .float32: typed(Float.self)
        case .int32: typed(Int32.self)
        case .uint32: typed(UInt32.self)
        case .uint16: typed(UInt16.self)
        case .int16: typed(Int16.self)
        case .uint8: typed(UInt8.self)
        default: preconditionFailure("frames of \(type) reach the kernel; FrameFile.pixelType allows none")
        }
    }

    /// Integrates up to ``FrameBlock/lanes`` frames (each a whole frame of one type, in place wherever it is) with
    /// every matrix, tile by tile: each tile of the frames is loaded once and passed through all matrices while it
    /// is in cache.
    static func integrate<T: FrameValue>(
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
                            if let correction, let dark {
                                correction.withUnsafeBufferPointer { all in
                                    dark.withUnsafeBufferPointer { allDark in
                                        Self.accumulate(x: x, start: start, bin: bin, wt: wt,
                                                        g: UnsafeBufferPointer(rebasing: all[tile]),
                                                        d: UnsafeBufferPointer(rebasing: allDark[tile]), out: out)
                                    }
                                }
                            } else if let correction {
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
    /// area and V from the full sum, and the few excluded pixels are taken out of both here (and, with a dark,
    /// the −g·dark they added to S and Q). Under a ``PixelNormalization`` the weights are c·norm and g = 1/norm,
    /// so A = Σ c·norm, S = Σ c·(n − dark) and V = Σ c²·max(n, 1): pyFAI's estimator.
    func curves(_ sums: [SIMD8<Double>], block: FrameBlock, empty: Double) -> [IntegratedCurve] {
        var sums = sums
        for k in 0..<bins { sums[4 * k] = SIMD8(repeating: weightSum[k]) }
        var areaLost = [SIMD8<Double>](repeating: .zero, count: areaSum == nil ? 0 : bins)
        // Take excluded pixels out: their value is 0, so only A and V (which counted max(0, 1) = 1) change.
        for (p, lanes) in zip(block.excludedPixels, block.excludedLanes) {
            var lane = SIMD8<Double>.zero
            for i in 0..<FrameBlock.lanes where lanes & (1 << UInt8(i)) != 0 { lane[i] = 1 }
            let g = correction.map { Double($0[Int(p)]) } ?? 1
            let y = -g * (dark.map { Double($0[Int(p)]) } ?? 0)
            for r in Int(pixelStart[Int(p)])..<Int(pixelStart[Int(p) + 1]) {
                let k = Int(pixelBin[r])
                let w = Double(pixelWeight[r])
                sums[4 * k] -= w * lane
                sums[4 * k + 3] -= (w * w * g * g) * lane
                if y != 0 {
                    sums[4 * k + 1] -= (w * y) * lane
                    sums[4 * k + 2] -= (w * y * y) * lane
                }
                if areaSum != nil { areaLost[k] += (w * g) * lane }
            }
        }
        let rootScale = weightScale.squareRoot()
        return (0..<block.count).map { lane in
            var curve = IntegratedCurve(intensity: [Double](repeating: empty, count: bins),
                                        standardError: [Double](repeating: empty, count: bins),
                                        saxsdogError: [Double](repeating: empty, count: bins),
                                        deviation: [Double](repeating: empty, count: bins),
                                        pixels: [Double](repeating: 0, count: bins))
            for k in 0..<bins {
                let a = sums[4 * k][lane]
                guard a > 0 else { continue }
                let s = sums[4 * k + 1][lane], q = sums[4 * k + 2][lane], v = sums[4 * k + 3][lane]
                let mean = s / a
                curve.intensity[k] = mean
                curve.standardError[k] = v.squareRoot() / a
                curve.saxsdogError[k] = max(0, s).squareRoot() / (rootScale * a)
                curve.deviation[k] = max(0, q / a - mean * mean).squareRoot()
                curve.pixels[k] = (areaSum.map { $0[k] - areaLost[k][lane] } ?? a) * weightScale
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

    /// The same with a per-pixel correction g and, when given, a dark d: g·(n − d) is binned, its variance
    /// g²·max(n, 1) (pyFAI's Poisson variance is that of the raw count).
    private static func accumulate(x: UnsafeBufferPointer<SIMD8<Float>>, start: UnsafeBufferPointer<Int32>,
                                   bin: UnsafeBufferPointer<Int32>, wt: UnsafeBufferPointer<Float>,
                                   g: UnsafeBufferPointer<Float>, d: UnsafeBufferPointer<Float>? = nil,
                                   out: UnsafeMutableBufferPointer<SIMD8<Double>>) {
        let one = SIMD8<Double>(repeating: 1)
        for p in 0..<x.count {
            let first = Int(start[p]), end = Int(start[p + 1])
            if first == end { continue }
            let c = Double(g[p])
            let n = SIMD8<Double>(x[p])
            let y = c * (d.map { n - Double($0[p]) } ?? n)
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
