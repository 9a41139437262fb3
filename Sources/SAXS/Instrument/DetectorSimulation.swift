import Core
import Foundation

/// The measurement of a curve on a simulated instrument: the imsim + im2dat replacement
/// (docs/reference/saxs-physics.md §6).
///
/// The sample frame collects N ~ Poisson(λ) counts with λ_j = Φ·t·T·ε·d·(I_smeared(q_j) + B)·ΔΩ_j per pixel, B the
/// instrument background; a background frame (same exposure, no particles) collects Poisson(Φ·t·T·ε·d·B·ΔΩ_j).
/// Radial averaging sums both over each bin's pixels and subtracts: I = (N_S − N_B)/(Φ·t·T·ε·d·ΣΔΩ),
/// σ = √(N_S + N_B)/(same), with N_S + N_B floored at one count.
public enum DetectorSimulation {
    /// `fast`: one Poisson draw per q bin; `image`: full 2-D frames, then radial averaging.
    public enum Mode: String, Sendable { case fast, image }

    /// Measures `sample` with `response`. `noise` supplies every Poisson draw: fast mode draws 2 per bin (sample,
    /// background), image mode 2 per pixel.
    public static func measure(_ sample: Sample, response: DetectorResponse, mode: Mode, keepFrame: Bool = false,
                               noise: inout RandomStream) -> MeasuredCurve {
        let (levelIndex, model, sums) = response.modelSums(for: sample)
        let level = response.levels[levelIndex]
        let instrument = response.instrument
        let chain = instrument.countsPerUnitIntensityAndSolidAngle
        let bins = response.q.count
        var curve = MeasuredCurve(intensity: [], sigma: [], model: [], modelSigma: [], expectedCounts: [], frame: nil)
        curve.model = (0..<bins).map { sums[$0] / response.binSolidAngle[$0] }
        let backgroundCounts = (0..<bins).map { chain * instrument.background * response.binSolidAngle[$0] }
        curve.expectedCounts = (0..<bins).map { chain * sums[$0] + backgroundCounts[$0] }
        var sampleCounts = [Double](repeating: 0, count: bins)
        var blankCounts = [Double](repeating: 0, count: bins)
        switch mode {
        case .fast:
            for b in 0..<bins {
                sampleCounts[b] = noise.count(poissonMean: curve.expectedCounts[b])
                blankCounts[b] = noise.count(poissonMean: backgroundCounts[b])
            }
        case .image:
            let smeared = level.smearing.apply(model)
            var frame = keepFrame ? [UInt32](repeating: 0, count: response.detector.rows * response.detector.columns) : nil
            response.pixelQ.withUnsafeBufferPointer { pq in
                response.pixelSolidAngle.withUnsafeBufferPointer { pomega in
                    smeared.withUnsafeBufferPointer { s in
                        for j in 0..<pq.count {
                            let (first, w) = level.grid.stencil(at: pq[j])
                            let value = w[0] * s[first] + w[1] * s[first + 1] + w[2] * s[first + 2] + w[3] * s[first + 3]
                            let scale = chain * pomega[j]
                            let counts = noise.count(poissonMean: scale * (value + instrument.background))
                            let blank = noise.count(poissonMean: scale * instrument.background)
                            let bin = Int(response.pixelBin[j])
                            sampleCounts[bin] += counts
                            blankCounts[bin] += blank
                            if frame != nil { frame![Int(response.pixelIndex[j])] = UInt32(min(counts, Double(UInt32.max))) }
                        }
                    }
                }
            }
            curve.frame = frame
        }
        curve.intensity = [Double](repeating: 0, count: bins)
        curve.sigma = [Double](repeating: 0, count: bins)
        curve.modelSigma = [Double](repeating: 0, count: bins)
        for b in 0..<bins {
            let normaliser = chain * response.binSolidAngle[b]
            curve.intensity[b] = (sampleCounts[b] - blankCounts[b]) / normaliser
            curve.sigma[b] = max(sampleCounts[b] + blankCounts[b], 1).squareRoot() / normaliser
            curve.modelSigma[b] = modelSigma(model: curve.model[b], normaliser: normaliser,
                                             backgroundCounts: backgroundCounts[b])
        }
        return curve
    }

    /// The model's σ of one bin, √(λ_S + λ_B)/normaliser with λ_S = normaliser·I_model + λ_B: what the χ² QC
    /// uses, here and when recomputed from a file's stored normalisers.
    public static func modelSigma(model: Double, normaliser: Double, backgroundCounts: Double) -> Double {
        (normaliser * model + 2 * backgroundCounts).squareRoot() / normaliser
    }
}
