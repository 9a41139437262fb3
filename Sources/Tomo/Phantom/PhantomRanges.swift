/// The uniform ranges foam spheres are drawn from (NoStripesNet `generateSample`'s values by default).
public struct PhantomRanges: Sendable, Equatable {
    public var x: ClosedRange<Double> = -0.9...0.9
    public var y: ClosedRange<Double> = -0.9...0.9
    public var z: ClosedRange<Double> = -0.8...0.8
    public var density: ClosedRange<Double> = 0.01...1.0
    public var radius: ClosedRange<Double> = 0.01...0.25

    public init() {}
}
