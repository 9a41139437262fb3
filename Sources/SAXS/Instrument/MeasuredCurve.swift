/// One measured curve (``DetectorSimulation/measure(_:response:mode:keepFrame:noise:)``): intensities, errors and
/// the noise-free model per q bin.
public struct MeasuredCurve: Sendable {
    /// Noisy intensity and its error (cm⁻¹), per bin.
    public var intensity: [Double]
    public var sigma: [Double]
    /// Noise-free model: the smeared intensity averaged over each bin's pixels (cm⁻¹), E[intensity].
    public var model: [Double]
    /// The model's own standard deviation per bin, √(λ_S + λ_B)/normaliser: the σ the χ² QC uses.
    public var modelSigma: [Double]
    /// Expected sample counts per bin, λ_S.
    public var expectedCounts: [Double]
    /// The sample frame's counts (image mode only, when asked for): rows × columns, 0 in gaps and masked pixels.
    public var frame: [UInt32]?
}
