import Foundation
import Sinograms

/// TomoPhantom's analytic parallel-beam projection of spheres, evaluated only over each sphere's footprint.
///
/// For a sphere (C0, x0, y0, z0, r) the value at row k, angle θ, column j is (TomoPhantom `ObjectSino`, reduced to
/// spheres; docs/reference/tomography.md §3)
///
///     P[k, θ, j] = C0 · N · sqrt(max(0, r² − (U_j − u_c(θ))² − (V_k − v_c)²)),
///     u_c(θ) = −(x0 + 1/N)·sin θ − (y0 + 1/N)·cos θ,   v_c = −(z0 + 1/N),
///
/// i.e. C0 times the chord length in voxels. TomoPhantom evaluates every pixel for every object; only the rows
/// |V_k − v_c| < r and columns |U_j − u_c| < r can be non-zero, about 1/500 of them for a typical foam sphere.
public enum SphereProjector {
    /// Adds the projections of `spheres` to `sinograms` (`[row, angle, column]`, `geometry.volumeCount` values).
    /// Each sphere's values are computed in double and added in sphere order, so the result does not depend on how
    /// samples are spread over ranks.
    public static func project(_ spheres: [Sphere], geometry g: TomoGeometry,
                               into sinograms: inout MutableSpan<Float>) {
        precondition(sinograms.count == g.volumeCount, "projection buffer of the wrong size")
        sinograms.withUnsafeMutableBufferPointer { project(spheres, geometry: g, intoBuffer: $0) }
    }

    /// ``project(_:geometry:into:)`` into `sinograms`' memory.
    private static func project(_ spheres: [Sphere], geometry g: TomoGeometry,
                                intoBuffer sinograms: UnsafeMutableBufferPointer<Float>) {
        let theta = g.anglesRadians
        let sines = theta.map(sin), cosines = theta.map(cos)
        let half = 1 / Double(g.size)
        let angles = g.angleCount, columns = g.columns
        var centres = [Double](repeating: 0, count: angles)
        var firstColumn = [Int](repeating: 0, count: angles)
        var lastColumn = [Int](repeating: -1, count: angles)
        for s in spheres where s.isPlaced && s.density != 0 {
            let r2 = s.radius * s.radius
            let scale = s.density * Double(g.size)
            let vc = -(s.z + half)
            // Rows and columns whose coordinate lies within r of the centre (coordinates descend with the index).
            let k0 = max(0, Int(((g.rowMax - vc - s.radius) / g.rowStep).rounded(.up)))
            let k1 = min(g.rows - 1, Int(((g.rowMax - vc + s.radius) / g.rowStep).rounded(.down)))
            guard k0 <= k1 else { continue }
            for a in 0..<angles {
                let uc = -(s.x + half) * sines[a] - (s.y + half) * cosines[a]
                centres[a] = uc
                firstColumn[a] = max(0, Int(((g.columnMax - uc - s.radius) / g.columnStep).rounded(.up)))
                lastColumn[a] = min(columns - 1, Int(((g.columnMax - uc + s.radius) / g.columnStep).rounded(.down)))
            }
            for k in k0...k1 {
                let dv = g.rowCoordinate(k) - vc
                let remaining = r2 - dv * dv
                guard remaining > 0 else { continue }
                let rowBase = k * angles * columns
                for a in 0..<angles where firstColumn[a] <= lastColumn[a] {
                    let base = rowBase + a * columns
                    let uc = centres[a]
                    for j in firstColumn[a]...lastColumn[a] {
                        let du = g.columnCoordinate(j) - uc
                        let t = remaining - du * du
                        if t > 0 { sinograms[base + j] += Float(scale * t.squareRoot()) }
                    }
                }
            }
        }
    }
}
