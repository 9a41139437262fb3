/// How a pixel's intensity is shared among bins.
public enum PixelSplitting: String, Sendable, CaseIterable {
    /// SAXSDog: each pixel is cut into ov × ov sub-pixels, each sub-pixel goes whole to the bin of its centre,
    /// so a pixel's weights are multiples of 1/ov² (ov = 1: plain binning by pixel centre).
    case oversampling
    /// Exact area: the pixel's corners span a quadrilateral in (bin coordinate, azimuth) and each bin gets the
    /// fraction of its area between the bin's edges (pyFAI's "full" splitting).
    case full
}
