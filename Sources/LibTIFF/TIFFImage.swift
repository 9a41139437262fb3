import Core

/// A grayscale image read from a TIFF file, as 32-bit floats (exact for integer counts below 2^24).
public struct TIFFImage: Sendable {
    public let rows: Int
    public let columns: Int
    /// Row-major, top row first.
    public var pixels: [Float]
    /// The stored sample type, e.g. `.int32`.
    public let sampleType: ElementType

    /// The largest value of an unsigned integer sample type (detectors mark overflowed or dead pixels with it).
    public var unsignedMaximum: Double? { sampleType.unsignedMaximum }
}
