import Core

/// Random non-overlapping spheres inside the unit ball, by TomoPhantom's rejection rule (`foam3D`).
public enum SpherePhantom {
    /// Candidate draws per object before it is given up (TomoPhantom checks about 1000).
    public static let attempts = 1000

    /// Draws `count` spheres. A candidate is rejected when it overlaps an accepted sphere (centre distance below
    /// the sum of radii) or does not fit the unit ball conservatively, (|x0|+r)² + (|y0|+r)² + (|z0|+r)² > 1.
    /// An object that finds no place in ``attempts`` draws is ``Sphere/unplaced`` (TomoPhantom instead keeps a
    /// degenerate sphere of radius 1e-4; its first object always gets that fallback, a bug not reproduced).
    public static func sample(count: Int, ranges: PhantomRanges, random: inout RandomStream) -> [Sphere] {
        var spheres: [Sphere] = []
        spheres.reserveCapacity(count)
        for _ in 0..<count {
            var placed = Sphere.unplaced
            for _ in 0..<attempts {
                let candidate = Sphere(density: random.uniform(in: ranges.density), x: random.uniform(in: ranges.x),
                                       y: random.uniform(in: ranges.y), z: random.uniform(in: ranges.z),
                                       radius: random.uniform(in: ranges.radius))
                if fits(candidate) && !spheres.contains(where: { overlaps($0, candidate) }) {
                    placed = candidate
                    break
                }
            }
            spheres.append(placed)
        }
        return spheres
    }

    /// TomoPhantom's conservative test that a sphere lies inside the unit ball.
    static func fits(_ s: Sphere) -> Bool {
        let ax = abs(s.x) + s.radius, ay = abs(s.y) + s.radius, az = abs(s.z) + s.radius
        return ax * ax + ay * ay + az * az <= 1
    }

    static func overlaps(_ a: Sphere, _ b: Sphere) -> Bool {
        guard a.isPlaced && b.isPlaced else { return false }
        let dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z
        let reach = a.radius + b.radius
        return dx * dx + dy * dy + dz * dz < reach * reach
    }

    /// Why `count` spheres cannot be placed with `ranges`, or nil. Checked before any work: the smallest sphere
    /// must fit the unit ball somewhere in the centre ranges, and `count` spheres of the smallest radius must fill
    /// less than 30 % of the ball (random sequential placement of equal spheres jams near 38 %).
    public static func placementProblem(count: Int, ranges: PhantomRanges) -> String? {
        func closestToZero(_ r: ClosedRange<Double>) -> Double { r.contains(0) ? 0 : min(abs(r.lowerBound), abs(r.upperBound)) }
        let r = ranges.radius.lowerBound
        let best = Sphere(density: 1, x: closestToZero(ranges.x), y: closestToZero(ranges.y),
                          z: closestToZero(ranges.z), radius: r)
        if !fits(best) {
            return "no sphere of radius \(r) fits the unit ball with centres in x \(ranges.x), y \(ranges.y), "
                + "z \(ranges.z)"
        }
        let filled = Double(count) * r * r * r
        if filled > 0.3 {
            return "\(count) objects cannot be placed: even at the minimum radius \(r) they would fill "
                + "\(Int((filled * 100).rounded())) % of the unit ball (at most 30 % can be placed at random)"
        }
        return nil
    }
}
