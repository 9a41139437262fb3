import FFT
import Foundation

/// Filtered back-projection of single sinograms in TomoPhantom's geometry, for inspection (`tomo-qc`).
///
/// Each projection is convolved with the Ram-Lak ramp filter, taken from its exact band-limited spatial form
/// (Kak & Slaney, *Principles of Computerized Tomographic Imaging*, eq. 3.61: h(0) = 1/4τ², h(n) = −1/(nπτ)² for odd
/// n, 0 for even n) and applied through FFTW with zero padding to avoid wrap-around; the filtered projections are
/// then smeared back, f(x, y) = (π/A)·Σ_θ q_θ(u), with u = −(x + 1/N)·sin θ − (y + 1/N)·cos θ (the projector's
/// coordinates) and linear interpolation between columns. Distances are in voxels, so a sphere of density C0
/// reconstructs to C0.
///
/// The image is N × N on TomoPhantom's voxel grid: pixel (i, j) is at x = −1 + 2i/N, y = −1 + 2j/N, the same axes as
/// the phantom volume's slice (`volume[row, i, j]`).
public final class FilteredBackProjection {
    public let geometry: TomoGeometry
    private let fft: RealFFTBatch
    private let filter: [Double]
    private let sines: [Double]
    private let cosines: [Double]

    public init(geometry: TomoGeometry) {
        self.geometry = geometry
        var length = 1
        while length < 2 * geometry.columns { length *= 2 }
        fft = RealFFTBatch(length: length, count: geometry.angleCount)
        // The ramp filter's spectrum: the FFT of h sampled circularly, τ = column spacing in voxels.
        let tau = geometry.columnStep * Double(geometry.size) / 2
        let kernel = RealFFTBatch(length: length, count: 1)
        kernel.withSignals { h in
            for n in 0..<length {
                let m = n <= length / 2 ? n : n - length
                if m == 0 {
                    h[n] = 1 / (4 * tau * tau)
                } else if m % 2 != 0 {
                    h[n] = -1 / (Double(m * m) * .pi * .pi * tau * tau)
                } else {
                    h[n] = 0
                }
            }
        }
        kernel.forward()
        // h is real and even, so its spectrum is real; τ for the convolution sum, 1/length for FFTW's inverse.
        filter = kernel.withCoefficients { c in (0..<kernel.spectrumLength).map { c[2 * $0] * tau / Double(length) } }
        let theta = geometry.anglesRadians
        sines = theta.map(sin)
        cosines = theta.map(cos)
    }

    /// Reconstructs one sinogram (`angles × columns`) into an N × N image (row-major, index i·N + j).
    public func reconstruct(_ sinogram: Span<Float>) -> [Float] {
        let g = geometry
        let angles = g.angleCount, columns = g.columns, length = fft.length
        precondition(sinogram.count == angles * columns, "sinogram of the wrong size")
        sinogram.withUnsafeBufferPointer { sinogram in
            fft.withSignals { $0.withUnsafeMutableBufferPointer { signals in
                for a in 0..<angles {
                    for j in 0..<length {
                        signals[a * length + j] = j < columns ? Double(sinogram[a * columns + j]) : 0
                    }
                }
            } }
        }
        fft.forward()
        let bins = fft.spectrumLength
        fft.withCoefficients { $0.withUnsafeMutableBufferPointer { c in
            for a in 0..<angles {
                for b in 0..<bins {
                    c[2 * (a * bins + b)] *= filter[b]
                    c[2 * (a * bins + b) + 1] *= filter[b]
                }
            }
        } }
        fft.inverse()

        let n = g.size
        var image = [Double](repeating: 0, count: n * n)
        let half = 1 / Double(n), pitch = 2 / Double(n)
        fft.withSignals { $0.withUnsafeMutableBufferPointer { signals in
            for a in 0..<angles {
                let row = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(signals)[a * length..<a * length + columns])
                // Column position (U_max − u)/ΔU, linear in i and j.
                let s = sines[a], cs = cosines[a]
                let perI = pitch * s / g.columnStep, perJ = pitch * cs / g.columnStep
                let origin = (g.columnMax + (-1 + half) * s + (-1 + half) * cs) / g.columnStep
                for i in 0..<n {
                    var position = origin + Double(i) * perI
                    for j in 0..<n {
                        let lower = position.rounded(.down)
                        let index = Int(lower)
                        if index >= 0 && index < columns - 1 {
                            let w = position - lower
                            image[i * n + j] += (1 - w) * row[index] + w * row[index + 1]
                        }
                        position += perJ
                    }
                }
            }
        } }
        let weight = Double.pi / Double(angles)
        return image.map { Float($0 * weight) }
    }
}
