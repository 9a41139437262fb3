/// One entry of the calibration's `Masks` list: one integration (radial, or azimuthal in phi-mode).
public struct IntegrationSettings: Sendable, Equatable {
    /// The mask file as resolved (nil: no pixel masked).
    public var maskFile: String?
    public var oversampling: Int
    public var pixelsPerRadialElement: Double
    public var name: String
    /// Intensity against azimuth in the band qStart…qStop instead of against q.
    public var phiMode: Bool
    /// nm⁻¹, for the integral parameters (and the band in phi-mode).
    public var qStart: Double
    public var qStop: Double
    /// A radial integration's number of bins over pyFAI's default range (pyFAI's `npt`, PONI calibrations); nil:
    /// SAXSDog's bins, about one pixel wide at the outer corner, from q = 0.
    public var radialBins: Int? = nil
}
