import Foundation

/// A regular 2-D grid over two per-pixel coordinates (`--maps`): bin (r, c) holds the pixels whose centres have
/// x in [x_lo + c·δx, x_lo + (c + 1)·δx) and y likewise, no pixel splitting: pyFAI's `integrate2d` with method
/// ("no", "histogram", …) on the same ranges (a pixel lands in bin ⌊(x − lo)/(hi − lo)·n⌋; x = hi goes to the
/// last bin; outside the range it is left out). Bin (r, c) is entry r·xBins + c (rows along y).
public struct QSpaceHistogram: Sendable, Equatable {
    public let xRange: ClosedRange<Double>, xBins: Int
    public let yRange: ClosedRange<Double>, yBins: Int

    public init(x: ClosedRange<Double>, bins xBins: Int, y: ClosedRange<Double>, bins yBins: Int) {
        (xRange, self.xBins, yRange, self.yBins) = (x, xBins, y, yBins)
    }

    /// The bin centres along x and y.
    public var xCenters: [Double] { Self.centers(xRange, xBins) }
    public var yCenters: [Double] { Self.centers(yRange, yBins) }

    static func centers(_ range: ClosedRange<Double>, _ n: Int) -> [Double] {
        let width = (range.upperBound - range.lowerBound) / Double(n)
        return (0..<n).map { range.lowerBound + (Double($0) + 0.5) * width }
    }

    static func index(_ v: Double, _ range: ClosedRange<Double>, _ n: Int) -> Int? {
        guard range.contains(v) else { return nil }
        return min(n - 1, Int((v - range.lowerBound) / (range.upperBound - range.lowerBound) * Double(n)))
    }

    /// The matrix that averages a frame's unmasked pixels into the grid (weight 1 per pixel; masks, negative and
    /// overflowing pixels as for the profiles). `x` and `y` are per pixel, row-major.
    func matrix(x: [Double], y: [Double], rows: Int, columns: Int, valid: [Bool]?, correction: [Float]?) -> IntegrationMatrix {
        var pixel: [Int32] = [], bin: [Int32] = [], weight: [Float] = []
        for p in 0..<(rows * columns) where valid?[p] ?? true {
            guard let c = Self.index(x[p], xRange, xBins), let r = Self.index(y[p], yRange, yBins) else { continue }
            pixel.append(Int32(p))
            bin.append(Int32(r * xBins + c))
            weight.append(1)
        }
        let centers = (0..<(xBins * yBins)).map(Double.init)
        return IntegrationMatrix(axis: .azimuthal, rows: rows, columns: columns, centers: centers, scale: 1,
                                 triplets: (pixel, bin, weight), weightScale: 1, correction: correction)
    }
}
