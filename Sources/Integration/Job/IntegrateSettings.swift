/// Choices of `beamforge integrate` beyond the calibration.
public struct IntegrateSettings: Sendable, Equatable {
    public var splitting: PixelSplitting = .oversampling
    /// Q in Å⁻¹ instead of nm⁻¹ in `integrated.h5` (`.chi` files keep SAXSDog's nm⁻¹).
    public var angstrom = false
    /// The value of bins no unmasked pixel reaches: NaN (current SAXSDog) or 0 (its older files).
    public var emptyBins: Double = .nan
    /// Exclude negative pixels frame by frame.
    public var maskNegative = true
    /// Exclude pixels at or above this value; nil: the maximum of unsigned integer frame types.
    public var overflow: Double?
    /// Write a SAXSDog `.chi` file per frame and integration.
    public var chi = false
    /// Where the `.chi` files go.
    public var chiLayout: ChiLayout = .mirror
    /// pyFAI's solid-angle, polarization, dark and flat corrections (PONI calibrations).
    public var corrections = PyFAICorrections()
    /// Radial bins of PONI calibrations over pyFAI's default range (pyFAI's `npt`); nil: SAXSDog's bins.
    public var radialBins: Int?

    public init() {}
}
