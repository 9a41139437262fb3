import Batch
import Core
import Foundation
import Sinograms
import Testing
@testable import Tomo

/// The analytic projector against TomoPhantom's compiled library (golden values, docs/reference/tomography.md §3).
@Suite struct ProjectionTests {
    /// N = 16, H = 22, V = 16, A = 25, one sphere. Tolerances from the reference: the closed form in double with
    /// float32 angles reproduces TomoPhantom's float code to ≤ 2e-6 per element and 7e-8 relative on the sum.
    @Test func goldenValues() {
        let g = TomoGeometry(size: 16, rows: 16, columns: 22, angleCount: 25)
        let sphere = Sphere(density: 1, x: 0.2, y: -0.1, z: 0.05, radius: 0.3)
        var p = [Float](repeating: 0, count: g.volumeCount)
        var span = p.mutableSpan
        SphereProjector.project([sphere], geometry: g, into: &span)
        func at(_ k: Int, _ a: Int, _ j: Int) -> Double { Double(p[(k * 25 + a) * 22 + j]) }
        let sum = p.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - 1425.696785) / 1425.696785 < 1e-6)
        let maxIndex = p.indices.max { p[$0] < p[$1] }!
        #expect(maxIndex == (8 * 25 + 7) * 22 + 12)
        #expect(abs(at(8, 7, 12) - 4.733520) < 1e-5)
        #expect(abs(at(7, 0, 11) - 3.558462) < 1e-5)
        #expect(abs(at(7, 12, 11) - 2.202629) < 1e-5)
        #expect(abs(at(8, 24, 10) - 4.457307) < 1e-5)
        #expect(at(6, 5, 14) == 0)
        #expect(at(9, 18, 8) == 0)
    }

    /// Culling to the footprint changes nothing: every pixel evaluated, as TomoPhantom does, gives the same array.
    @Test func footprintEqualsFullEvaluation() {
        let g = TomoGeometry(size: 32)
        var random = RandomStream(seed: 3, item: 0, stream: 0)
        let spheres = SpherePhantom.sample(count: 20, ranges: PhantomRanges(), random: &random)
        var culled = [Float](repeating: 0, count: g.volumeCount)
        var span = culled.mutableSpan
        SphereProjector.project(spheres, geometry: g, into: &span)
        var full = [Float](repeating: 0, count: g.volumeCount)
        let theta = g.anglesRadians
        for s in spheres where s.isPlaced {
            for k in 0..<g.rows {
                for a in 0..<g.angleCount {
                    for j in 0..<g.columns {
                        let uc = -(s.x + 1.0 / 32) * sin(theta[a]) - (s.y + 1.0 / 32) * cos(theta[a])
                        let du = g.columnCoordinate(j) - uc, dv = g.rowCoordinate(k) + (s.z + 1.0 / 32)
                        let t = s.radius * s.radius - du * du - dv * dv
                        if t > 0 { full[(k * g.angleCount + a) * g.columns + j] += Float(s.density * 32 * t.squareRoot()) }
                    }
                }
            }
        }
        #expect(culled == full)
        #expect(culled.contains { $0 > 0 })
    }

    @Test func noStripesNetGeometry() {
        let g = TomoGeometry(size: 256)
        #expect(g.columns == 362 && g.angleCount == 402 && g.rows == 256)
        #expect(g.anglesDegrees.first == 0 && g.anglesDegrees.last == Float(179.9))
        #expect(abs(g.columnMax - 1.408560) < 1e-6 && abs(g.columnStep - 0.0078037) < 1e-7)
        #expect(abs(g.rowMax - 0.996109) < 1e-6 && abs(g.rowStep - 0.0078126) < 1e-7)
    }

    /// Spheres never overlap, always fit the unit ball, and the default ranges place all 300 of NoStripesNet's.
    @Test func phantomRejectionRule() {
        var random = RandomStream(seed: 11, item: 4, stream: 1)
        let spheres = SpherePhantom.sample(count: 300, ranges: PhantomRanges(), random: &random)
        #expect(spheres.filter(\.isPlaced).count == 300)
        for (i, a) in spheres.enumerated() {
            #expect(SpherePhantom.fits(a))
            for b in spheres[(i + 1)...] { #expect(!SpherePhantom.overlaps(a, b)) }
        }
        let filled = spheres.reduce(0.0) { $0 + pow($1.radius, 3) }
        #expect(filled > 0.10 && filled < 0.20)  // reference: 13.7–15.2 % of the ball
        #expect(SpherePhantom.placementProblem(count: 300, ranges: PhantomRanges()) == nil)
        #expect(SpherePhantom.placementProblem(count: 400_000, ranges: PhantomRanges()) != nil)
        var tooBig = PhantomRanges()
        tooBig.radius = 0.7...0.8
        #expect(SpherePhantom.placementProblem(count: 1, ranges: tooBig) != nil)
    }
}
