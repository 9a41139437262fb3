import Batch
import Foundation
import SAXS
import Testing

@Suite struct InstrumentTests {
    @Test("the q grid spans q_min to q_max with log spacing")
    func grid() {
        let q = Instrument.xeuss.q
        #expect(q.count == 300)
        #expect(abs(q.first! - 0.0031) < 1e-15 && abs(q.last! - 0.149) < 1e-15)
        let ratios = zip(q.dropFirst(), q).map { $0 / $1 }
        #expect(ratios.allSatisfy { abs($0 - ratios[0]) < 1e-12 })
        let edges = Instrument.xeuss.qEdges
        #expect(zip(edges, q).allSatisfy { $0 < $1 } && zip(q, edges.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("ring solid angles add up to the cone between the outer edges")
    func solidAngles() {
        let instrument = Instrument.nanoInXider
        let edges = instrument.qEdges
        func twoTheta(_ q: Double) -> Double { 2 * asin(q * instrument.wavelength / (4 * Double.pi)) }
        let total = 2 * Double.pi * (cos(twoTheta(edges.first!)) - cos(twoTheta(edges.last!)))
        let sum = instrument.binSolidAngles.reduce(0, +)
        #expect(abs(sum - total) < 1e-12 * total)
        #expect(instrument.binSolidAngles.allSatisfy { $0 > 0 })
    }

    @Test("counting noise is unbiased with unit pull at high counts")
    func noisePulls() {
        var random = RandomStream(seed: 11, item: 0, stream: 1)
        let model = [Double](repeating: 2.0, count: 20_000)
        let perUnit = [Double](repeating: 500, count: model.count)  // 1000 expected counts per bin
        let (intensity, sigma) = CountingNoise.sample(model: model, countsPerUnit: perUnit, random: &random)
        let pulls = zip(zip(intensity, model), sigma).map { ($0.0 - $0.1) / $1 }
        let mean = pulls.reduce(0, +) / Double(pulls.count)
        let variance = pulls.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pulls.count)
        #expect(abs(mean) < 5 / Double(pulls.count).squareRoot())
        #expect(abs(variance - 1) < 0.05)
    }
}

@Suite struct SAXSConfigTests {
    @Test("the defaults are valid")
    func defaults() throws {
        try SAXSConfig().validate()
    }

    static func broken(_ key: String) -> SAXSConfig {
        var c = SAXSConfig()
        switch key {
        case "radius": c.radius = [100, 50]
        case "n": c.n = -1
        case "classes.1": c.classes = ["sphere", "teapot"]
        case "instruments.0.q_max": c.instruments[0].qMax = 0.001
        case "instruments.1.q_max": c.instruments[1].qMax = 9
        case "volume_fraction": c.volumeFraction = [0.1, 2]
        case "sld": c.sld = [1]
        default: break
        }
        return c
    }

    @Test("nonsense is rejected with the key named",
          arguments: ["radius", "n", "classes.1", "instruments.0.q_max", "instruments.1.q_max", "volume_fraction", "sld"])
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
    @Test("an item is a pure function of (seed, index)")
    func deterministic() throws {
        let job = SAXSJob(config: SAXSConfig(), generator: "test")
        let context = ItemContext(seed: 5, item: 17, timestamp: "t")
        let a = try job.produce(item: 17, context: context)
        let b = try job.produce(item: 17, context: context)
        #expect(a.metadata == b.metadata)
        let c = try job.produce(item: 18, context: ItemContext(seed: 5, item: 18, timestamp: "t"))
        #expect(a.metadata[0] != c.metadata[0])
    }

    @Test("curves shorter than the widest grid are NaN-padded")
    func padding() throws {
        let job = SAXSJob(config: SAXSConfig(), generator: "test")
        #expect(job.width == 400)
        for item in 0..<20 {
            let out = try job.produce(item: item, context: ItemContext(seed: 1, item: item, timestamp: "t"))
            guard case .float64(let q)? = out.values["q"], case .int32(let instrument)? = out.values["instrument"] else {
                Issue.record("missing outputs"); return
            }
            let valid = q.filter { !$0.isNaN }.count
            #expect(valid == (instrument[0] == 0 ? 300 : 400))
        }
    }
}
