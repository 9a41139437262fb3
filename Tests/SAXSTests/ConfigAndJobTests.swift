import Core
import Batch
import Foundation
import SAXS
import Testing

@Suite struct SAXSConfigTests {
    @Test("the defaults are valid and list the nine classes")
    func defaults() throws {
        try SAXSConfig().validate()
        #expect(SAXSConfig().shapeClasses.count == 9)
    }

    static func broken(_ key: String) -> SAXSConfig {
        var c = SAXSConfig()
        switch key {
        case "size": c.size = [100, 50]
        case "n": c.n = -1
        case "classes.1": c.classes = ["sphere", "teapot"]
        case "instruments.0.q_max": c.instruments[0].qMax = 0.001
        case "instruments.1.q_max": c.instruments[1].qMax = 9
        case "volume_fraction": c.volumeFraction = [0.1, 2]
        case "sld": c.sld = [1]
        case "hollow_inner_fraction": c.hollowInnerFraction = [0.5, 1.2]   // r_inner > r_outer
        case "polydispersity": c.polydispersity = [0, 1]
        case "detector": c.detector = "ccd"
        case "instruments.0.detector": c.instruments[0].detector = "pilatus9m"
        case "instruments.1.beam_center": c.instruments[1].beamCenter = [1]
        case "save_frames": c.saveFrames = 3   // with detector: fast
        case "instruments.0.flux": c.instruments[0].flux = .infinity
        case "instruments.1.exposure": c.instruments[1].exposure = 1e300
        case "instruments.0.q_points": c.instruments[0].qPoints = 1_000_000_000
        case "instruments.0.fwhm": c.instruments[0].fwhm = 1e-300
        case "instruments.1.wavelength": c.instruments[1].wavelength = .nan
        case "hollow_outer_radius": c.hollowOuterRadius = [70, 1e300]
        case "sld_core": c.sldCore = [18, 1e200]
        default: break
        }
        return c
    }

    @Test("nonsense is rejected with the key named",
          arguments: ["size", "n", "classes.1", "instruments.0.q_max", "instruments.1.q_max", "volume_fraction", "sld",
                      "hollow_inner_fraction", "polydispersity", "detector", "instruments.0.detector",
                      "instruments.1.beam_center", "save_frames", "instruments.0.flux", "instruments.1.exposure",
                      "instruments.0.q_points", "instruments.0.fwhm", "instruments.1.wavelength",
                      "hollow_outer_radius", "sld_core"])
    func rejects(key: String) {
        do {
            try Self.broken(key).validate()
            Issue.record("\(key): accepted")
        } catch {
            #expect(error.key == key)
        }
    }
}

@Suite struct SAXSJobTests {
    static let job = try! SAXSJob(config: SAXSConfig(), generator: "test")

    @Test("an item is a pure function of (seed, index)")
    func deterministic() throws {
        let context = ItemContext(seed: 5, item: 17, timestamp: "t")
        let a = try Self.job.produce(item: 17, context: context)
        let b = try Self.job.produce(item: 17, context: context)
        #expect(a.metadata == b.metadata)
        let c = try Self.job.produce(item: 18, context: ItemContext(seed: 5, item: 18, timestamp: "t"))
        #expect(a.metadata[0] != c.metadata[0])
    }

    @Test("curves shorter than the widest grid are NaN-padded")
    func padding() throws {
        #expect(Self.job.width == 400)
        for item in 0..<20 {
            let out = try Self.job.produce(item: item, context: ItemContext(seed: 1, item: item, timestamp: "t"))
            guard case .float64(let q)? = out.values["q"], case .int32(let instrument)? = out.values["instrument"] else {
                Issue.record("missing outputs"); return
            }
            #expect(q.filter { !$0.isNaN }.count == (instrument[0] == 0 ? 300 : 400))
        }
    }

    @Test("classes are balanced in every block of nine and the order depends on the seed")
    func balancedClasses() {
        for seed: UInt64 in [1, 2] {
            for block in 0..<20 {
                let classes = (0..<9).map { ShapeClass.index(ofItem: block * 9 + $0, classes: 9, seed: seed, stream: 3) }
                #expect(Set(classes).count == 9)
            }
        }
        let a = (0..<90).map { ShapeClass.index(ofItem: $0, classes: 9, seed: 1, stream: 3) }
        let b = (0..<90).map { ShapeClass.index(ofItem: $0, classes: 9, seed: 2, stream: 3) }
        #expect(a != b)
    }

    @Test("drawn parameters respect the configured ranges", arguments: ShapeClass.allCases)
    func ranges(_ shape: ShapeClass) {
        let config = SAXSConfig()
        for item in 0..<200 {
            var random = RandomStream(seed: 3, item: item, stream: 0)
            let sample = shape.draw(config, random: &random)
            let width = sample.polydispersity[0].distribution.relativeWidth
            #expect(width >= 0 && width <= 0.3)
            #expect(type(of: sample.particle) == shape.model)
            switch sample.particle {
            case let m as SphereModel: #expect(m.radius >= 50 && m.radius <= 1000)
            case let m as CylinderModel: #expect(m.length / m.radius >= 1 && m.length / m.radius <= 2)
            case let m as EllipsoidModel:
                let aspect = m.radiusPolar / m.radiusEquatorial
                #expect(max(m.radiusPolar, m.radiusEquatorial) <= 1000 + 1e-9)
                #expect(shape == .oblateEllipsoid ? (aspect >= 0.1 && aspect <= 0.77) : (aspect >= 1.3 && aspect <= 5))
            case let m as VesicleModel:
                let outer = m.radius + m.thickness
                #expect(outer >= 70 && outer <= 1000 + 1e-9 && m.radius / outer >= 0.5 && m.radius / outer <= 0.9)
            case let m as CoreShellSphereModel: #expect(m.radius + m.thickness <= 1000 + 1e-9)
            case let m as CoreShellCylinderModel: #expect(m.radius + m.thickness <= 1000 + 1e-9)
            case let m as CoreShellEllipsoidModel:
                #expect(max(m.radiusEquatCore + m.thickShell, m.radiusEquatCore * m.xCore + m.thickShell) <= 1000 + 1e-9)
            default: break  // a class of a new model: its ranges can be checked here
            }
        }
    }
}

@Suite struct ModelSpecificationLimitsTests {
    static func sphere(_ changes: [String: Double]) -> ModelSpecification {
        var params = ["radius": 50.0, "sld": 20, "sld_solvent": 9.47, "scale": 0.01, "background": 0.001]
        params.merge(changes) { $1 }
        return ModelSpecification(model: "sphere", params: params, q: [0.01, 0.1])
    }

    @Test("a sensible specification passes")
    func valid() throws {
        try Self.sphere(["radius_pd": 0.1, "radius_pd_n": 35, "radius_pd_nsigma": 3]).validate()
        try Self.sphere(["length_scale_pd": 0.1]).validate()
    }

    @Test("bad parameters are named", arguments: [
        (["raduis": 40.0], "params.raduis"), (["radius": -50], "params.radius"), (["radius": 1e300], "params.radius"),
        (["sld": 1e200], "params.sld"), (["radius_pd": 1.5], "params.radius_pd"),
        (["radius_pd_n": 1e9], "params.radius_pd_n"), (["radius_pd_nsigma": 0], "params.radius_pd_nsigma"),
    ])
    func refused(changes: [String: Double], key: String) {
        do {
            try Self.sphere(changes).validate()
            Issue.record("\(changes) accepted")
        } catch {
            #expect(error.key == key)
        }
    }

    @Test("q values must be finite and non-negative")
    func q() {
        var spec = Self.sphere([:])
        spec.q = [0.01, -0.1]
        #expect(throws: ConfigError.self) { try spec.validate() }
        spec.q = []
        #expect(throws: ConfigError.self) { try spec.validate() }
    }
}
