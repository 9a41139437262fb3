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
    /// Σ c: the split-weighted number of pixels in each bin after the frame's own masking (0 for empty bins).
    public var pixels: [Double]
}
