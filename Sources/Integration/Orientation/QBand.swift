/// A ring of constant |q| on the detector: q from `center − width/2` to `center + width/2`, in Å⁻¹.
public struct QBand: Sendable, Equatable {
    public var center: Double
    public var width: Double

    public init(center: Double, width: Double) {
        self.center = center
        self.width = width
    }

    public var lower: Double { center - width / 2 }
    public var upper: Double { center + width / 2 }
}
