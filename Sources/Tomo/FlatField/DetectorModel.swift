import Core
import FFT
import Foundation
import Sinograms

/// One sample's detector: the beam profile (maximum 1) and three defect maps (jointly scaled to maximum 1),
/// each `rows × columns`.
public struct DetectorModel: Sendable {
    public let rows: Int
    public let columns: Int
    public let beam: [Double]
    /// Constant offset, sinusoidal response and exponential response maps.
    public let defects: [[Double]]

    public init(rows: Int, columns: Int, settings s: FlatFieldSettings, seed: UInt64, sample: Int) {
        self.rows = rows
        self.columns = columns
        let fft = ComplexFFT2D(rows: rows, columns: columns)
        // Background: y₁ on linspace(a, b, rows) in float32, lifted by |min|, plus its mirror image; same in every
        // column.
        let bessel = TomoGeometry.linspaceFloat32(s.besselRange.lowerBound, s.besselRange.upperBound, count: rows)
            .map { sphericalBesselY1(Double($0)) }
        let lift = abs(bessel.min() ?? 0)
        var random = RandomStream(seed: seed, sample: sample, .beamSpeckle)
        let speckle = Self.speckle(fft: fft, size: s.speckleSize, density: s.speckleDensity, random: &random)
        let speckleMax = speckle.max() ?? 1
        var beam = [Double](repeating: 0, count: rows * columns)
        for y in 0..<rows {
            let background = bessel[y] + lift + bessel[rows - 1 - y] + lift
            for x in 0..<columns {
                beam[y * columns + x] = background + 0.5 * speckle[y * columns + x] / (speckleMax > 0 ? speckleMax : 1)
            }
        }
        let beamMax = beam.max() ?? 1
        self.beam = beam.map { $0 / beamMax }

        var maps: [[Double]] = (0..<3).map { index in
            var random = RandomStream(seed: seed, sample: sample, .defectSpeckle, index: index)
            var map = Self.speckle(fft: fft, size: s.defectSpeckleSize, density: s.defectDensity, random: &random)
            map = gaussianFilter(map, rows: rows, columns: columns, sigma: s.defectSmoothing)
            let cut = s.defectThreshold * (map.max() ?? 0)
            return map.map { $0 < cut ? 0 : $0 }
        }
        let top = maps.map { $0.max() ?? 0 }.max() ?? 0
        if top > 0 { maps = maps.map { $0.map { $0 / top } } }
        defects = maps
    }

    /// A speckle image with shot noise (TomoPhantom `simulate_speckles_with_shot_noise`, one mode): random unit
    /// phasors fill the top-left round(rows/size) × round(columns/size) block, |FFT|² normalised to sum 1 is the
    /// photon distribution, and round(density·rows·columns) photons are dropped into it.
    static func speckle(fft: ComplexFFT2D, size: Double, density: Double, random: inout RandomStream) -> [Double] {
        let rows = fft.rows, columns = fft.columns
        let blockRows = min(rows, Int((Double(rows) / size).rounded(.toNearestOrEven)))
        let blockColumns = min(columns, Int((Double(columns) / size).rounded(.toNearestOrEven)))
        fft.withValues { $0.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = 0 }
            for r in 0..<blockRows {
                for c in 0..<blockColumns {
                    let phase = 2 * Double.pi * random.uniform()
                    values[2 * (r * columns + c)] = cos(phase)
                    values[2 * (r * columns + c) + 1] = sin(phase)
                }
            }
        } }
        fft.forward()
        // Cumulative distribution of |X|², then each photon lands where a uniform draw falls in it.
        var cumulative = [Double](repeating: 0, count: rows * columns)
        var total = 0.0
        fft.withValues { $0.withUnsafeMutableBufferPointer { values in
            for i in 0..<rows * columns {
                total += values[2 * i] * values[2 * i] + values[2 * i + 1] * values[2 * i + 1]
                cumulative[i] = total
            }
        } }
        var counts = [Double](repeating: 0, count: rows * columns)
        let photons = Int((density * Double(rows * columns)).rounded(.toNearestOrEven))
        guard total > 0 else { return counts }
        for _ in 0..<photons {
            let target = random.uniform() * total
            var low = 0, high = cumulative.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] > target { high = mid } else { low = mid + 1 }
            }
            counts[low] += 1
        }
        return counts
    }
}

/// The spherical Bessel function of the second kind y₁(x) = −cos x / x² − sin x / x.
func sphericalBesselY1(_ x: Double) -> Double {
    -cos(x) / (x * x) - sin(x) / x
}

/// scipy.ndimage's `gaussian_filter` on a `rows × columns` image: separable, kernel exp(−x²/2σ²) normalised over
/// ±int(4σ + 0.5) pixels, mirror-with-edge ("reflect") boundaries.
func gaussianFilter(_ image: [Double], rows: Int, columns: Int, sigma: Double) -> [Double] {
    guard sigma > 0 else { return image }
    let radius = Int(4 * sigma + 0.5)
    var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
    let norm = kernel.reduce(0, +)
    kernel = kernel.map { $0 / norm }
    func reflect(_ i: Int, _ n: Int) -> Int {
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }
    var along = [Double](repeating: 0, count: image.count)
    for r in 0..<rows {
        for c in 0..<columns {
            var sum = 0.0
            for (t, w) in kernel.enumerated() { sum += w * image[reflect(r + t - radius, rows) * columns + c] }
            along[r * columns + c] = sum
        }
    }
    var result = [Double](repeating: 0, count: image.count)
    for r in 0..<rows {
        for c in 0..<columns {
            var sum = 0.0
            for (t, w) in kernel.enumerated() { sum += w * along[r * columns + reflect(c + t - radius, columns)] }
            result[r * columns + c] = sum
        }
    }
    return result
}
