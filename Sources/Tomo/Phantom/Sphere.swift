/// One sphere of a foam phantom: density C0, centre (x0, y0, z0) and radius r, in the unit cube's coordinates.
public struct Sphere: Sendable, Equatable {
    public var density: Double
    public var x: Double
    public var y: Double
    public var z: Double
    public var radius: Double

    public init(density: Double, x: Double, y: Double, z: Double, radius: Double) {
        self.density = density
        self.x = x
        self.y = y
        self.z = z
        self.radius = radius
    }

    /// An object the sampler could not place: it adds nothing.
    public static let unplaced = Sphere(density: 0, x: 0, y: 0, z: 0, radius: 0)

    public var isPlaced: Bool { radius > 0 }
}
