import Foundation
import SAXS
import Testing

/// Sphere intensities against sasmodels' golden values (../shared/reference/saxs_golden.json).
@Suite struct SphereTests {
    struct Case: Sendable, CustomStringConvertible {
        let source: String
        let radius, sld, solvent, scale, background: Double
        let q: [Double]
        let expected: [Double]
        var description: String { "\(source) R=\(radius)" }
    }

    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/reference/saxs_golden.json").standardized.path

    /// Every monodisperse sphere case of the official and generated sets.
    static func cases() throws -> [Case] {
        let data = try Data(contentsOf: URL(fileURLWithPath: goldenPath))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var result: [Case] = []
        for (set, key) in [("official", "I_sasmodels_v1_1_0_double"), ("generated", "I")] {
            for entry in json[set] as! [[String: Any]] where entry["model"] as? String == "sphere" {
                let p = entry["params"] as! [String: Double]
                guard p["radius_pd"] == nil else { continue }
                result.append(Case(source: set, radius: p["radius"]!, sld: p["sld"]!, solvent: p["sld_solvent"]!,
                                   scale: p["scale"] ?? 1, background: p["background"] ?? 0.001,
                                   q: entry["q"] as! [Double], expected: entry[key] as! [Double]))
            }
        }
        return result
    }

    @Test("the golden file has monodisperse sphere cases")
    func goldenFileIsThere() throws {
        #expect(try Self.cases().count >= 3)
    }

    // The analytic form factor leaves only rounding: 1e-9 relative is far inside sasmodels' 5-digit rule.
    @Test("monodisperse spheres match sasmodels 1.1.0 (double) to 1e-9", arguments: try cases())
    func golden(_ c: Case) {
        let values = Sphere.intensity(q: c.q, radius: c.radius, contrast: c.sld - c.solvent, scale: c.scale,
                                      background: c.background)
        for (value, expected) in zip(values, c.expected) {
            #expect(abs(value - expected) <= 1e-9 * abs(expected), "q-point of \(c): \(value) vs \(expected)")
        }
    }

    @Test("the small-x series joins the closed form smoothly at x = 0.1")
    func seriesContinuity() {
        let below = Sphere.amplitude(0.1.nextDown)
        let above = Sphere.amplitude(0.1)
        #expect(abs(below - above) < 1e-13)
        #expect(Sphere.amplitude(0) == 1)
        // Closed form evaluated in extended care: Φ(1e-3) = 1 - 1e-7 + ...
        #expect(abs(Sphere.amplitude(1e-3) - (1 - 1e-7 + 1e-12 / 280)) < 1e-15)
    }

    @Test("Rg of a sphere is sqrt(3/5) R")
    func radiusOfGyration() {
        #expect(abs(Sphere.radiusOfGyration(radius: 100) - 77.45966692414834) < 1e-12)
    }
}
