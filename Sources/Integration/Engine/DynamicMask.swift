/// Which pixel values are excluded frame by frame, on top of the static mask.
public struct DynamicMask: Sendable, Equatable {
    /// Exclude negative values (Pilatus marks gaps and bad pixels with -1 and -2).
    public var negative: Bool
    /// Exclude values at or above this one (saturated or overflowed pixels; Eiger marks them with the type's
    /// maximum).
    public var overflow: Float?

    public init(negative: Bool = true, overflow: Float? = nil) {
        self.negative = negative
        self.overflow = overflow
    }
}
