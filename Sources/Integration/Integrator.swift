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

/// Up to ``lanes`` frames side by side, pixel-major (the values of one pixel in all frames are adjacent), so a
/// pass over the matrix integrates all of them. Excluded pixels hold NaN.
public struct FrameBlock: Sendable {
    public static let lanes = 8
    public let pixels: Int
    /// The number of frames loaded.
    public private(set) var count = 0
    var values: [SIMD8<Float>]

    public init(pixels: Int) {
        self.pixels = pixels
        values = [SIMD8<Float>](repeating: SIMD8(repeating: .nan), count: pixels)
    }

    /// Empties the block (all lanes excluded).
    public mutating func reset() {
        if count == 0 { return }
        let empty = SIMD8<Float>(repeating: .nan)
        values.withUnsafeMutableBufferPointer { v in for p in 0..<v.count { v[p] = empty } }
        count = 0
    }

    /// Loads one frame into the next lane, excluding what `mask` excludes.
    /// - Returns: the number of excluded pixels and the sum of the others.
    @discardableResult
    public mutating func append(_ frame: UnsafeBufferPointer<Float>, mask: DynamicMask) -> (excluded: Int, total: Double) {
        precondition(count < Self.lanes && frame.count == pixels)
        let lane = count
        count += 1
        let negative = mask.negative
        let limit = mask.overflow ?? .infinity
        var excluded = 0
        var total = 0.0
        values.withUnsafeMutableBufferPointer { v in
            for p in 0..<pixels {
                var x = frame[p]
                if (negative && x < 0) || x >= limit || x.isNaN {
                    x = .nan
                    excluded += 1
                } else {
                    total += Double(x)
                }
                v[p][lane] = x
            }
        }
        return (excluded, total)
    }
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
    /// Integrates every frame of `block` with one pass over the matrix (sums in double precision).
    ///
    /// Per bin k and frame, over the unexcluded pixels p with fraction c and correction g:
    /// A = Σ c, S = Σ c·g·n, Q = Σ c·(g·n)², V = Σ c²·g²·max(n, 1); then I = S/A, sem = √V/A,
    /// SAXSDog's error √S/A (with the fractions' scale restored), std = √(Q/A − I²). Bins without pixels give
    /// `empty` (NaN as current SAXSDog, or 0 as its older files).
    public func integrate(_ block: FrameBlock, empty: Double = .nan) -> [IntegratedCurve] {
        let n = block.count
        let bins = self.bins
        var sums = [SIMD8<Double>](repeating: .zero, count: 4 * bins)
        let corr = correction ?? []
        let polarized = correction != nil
        block.values.withUnsafeBufferPointer { x in
            pixel.withUnsafeBufferPointer { pix in
                weight.withUnsafeBufferPointer { wt in
                    rowStart.withUnsafeBufferPointer { start in
                        corr.withUnsafeBufferPointer { g in
                            sums.withUnsafeMutableBufferPointer { out in
                                for k in 0..<bins {
                                    var a = SIMD8<Double>.zero, s = SIMD8<Double>.zero
                                    var q = SIMD8<Double>.zero, v = SIMD8<Double>.zero
                                    let one = SIMD8<Double>(repeating: 1)
                                    for e in Int(start[k])..<Int(start[k + 1]) {
                                        let p = Int(pix[e])
                                        let w = Double(wt[e])
                                        let xf = x[p]
                                        let valid = xf .== xf
                                        let xd = SIMD8<Double>(xf.replacing(with: 0, where: .!valid))
                                        let present = SIMD8<Double>(SIMD8<Float>.zero.replacing(with: 1, where: valid))
                                        let poisson = xd.replacing(with: one, where: xd .< one) * present
                                        if polarized {
                                            let c = Double(g[p])
                                            let y = xd * c
                                            a += w * present
                                            s += w * y
                                            q += w * (y * y)
                                            v += (w * w * c * c) * poisson
                                        } else {
                                            a += w * present
                                            s += w * xd
                                            q += w * (xd * xd)
                                            v += (w * w) * poisson
                                        }
                                    }
                                    out[4 * k] = a
                                    out[4 * k + 1] = s
                                    out[4 * k + 2] = q
                                    out[4 * k + 3] = v
                                }
                            }
                        }
                    }
                }
            }
        }
        let rootScale = weightScale.squareRoot()
        return (0..<n).map { lane in
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
}
