import Batch

/// Photon-counting noise on a binned 1-D curve.
public enum CountingNoise {
    /// Draws counts N_i ~ Poisson(c_i · I_i) per bin and returns I_i = N_i / c_i with σ_i = √max(N_i, 1) / c_i,
    /// where c_i is the number of counts per unit intensity in bin i (see ``Instrument/countsPerUnitIntensity``).
    ///
    /// σ from the observed counts is what radial-averaging software reports; the floor of one count keeps empty
    /// bins from claiming zero error.
    public static func sample(model: [Double], countsPerUnit: [Double],
                              random: inout RandomStream) -> (intensity: [Double], sigma: [Double]) {
        precondition(model.count == countsPerUnit.count)
        var intensity = [Double](repeating: 0, count: model.count)
        var sigma = [Double](repeating: 0, count: model.count)
        for i in 0..<model.count {
            let normaliser = countsPerUnit[i]
            let counts = Double(random.poisson(model[i] * normaliser))
            intensity[i] = counts / normaliser
            sigma[i] = max(counts, 1).squareRoot() / normaliser
        }
        return (intensity, sigma)
    }
}
