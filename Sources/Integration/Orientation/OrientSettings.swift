/// Choices of `beamforge orient` beyond the calibration and the inputs, each checked by ``OrientConfig``.
public struct OrientSettings: Sendable, Equatable {
    /// The q bands whose azimuthal profiles I(χ) are taken.
    public var bands: [QBand] = []
    /// The width of a χ bin, degrees; 360 is a whole number of bins.
    public var chiBinDeg = 1.0
    /// The fewest split-weighted pixels a χ bin reached by the band may hold, on average over those bins.
    public var minPixels = 1.0
    /// Divide each pixel by its solid angle relative to the normal (cos³ of its incidence angle, pyFAI's).
    public var solidAngle = false
    /// Where each frame's magnetic field comes from.
    public var field: FieldSource = .title
    /// Exclude negative pixels frame by frame.
    public var maskNegative = true
    /// Exclude pixels at or above this value; nil: the maximum of unsigned integer frame types.
    public var overflow: Double?
    /// The models fitted to every profile, in this order in orient.h5 and meta.csv.
    public var models: [OrientModel] = [.ms, .pv]
    /// How the reflection's profile relates to the orientation distribution.
    public var reflection: ReflectionType = .equatorial

    /// Frames whose fitted profiles are drawn; nil: ``OrientPictures/defaultFrameCount`` spread over the run.
    public var plotFrames: [Int]?

    /// The director's azimuth (degrees, like χ) that q∥ and q⊥ of `/orient/geometry` refer to.
    public var directorDeg = 0.0

    /// The reflections (h, k, l) of the last bands, in order (the first bands are the `q` centres).
    public var reflections: [[Int]] = []

    /// Per frame, the 2-D maps I(q, χ) and I(q∥, q⊥) (`--maps`).
    public var maps = false
    /// Bins of the maps' q axis (and of each of q∥ and q⊥).
    public var mapBins = 100

    /// Per frame, SasView's 2-D files (NIST ASCII and NXcanSAS) in `DIR/sasview/`.
    public var sasview = false

    public init() {}

    /// The number of χ bins over the full circle.
    public var chiBins: Int { Int((360 / chiBinDeg).rounded()) }
}
