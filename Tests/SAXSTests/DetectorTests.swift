import Core
import Batch
import Formats
import Foundation
import SAXS
import Testing

@Suite struct DetectorTests {
    static let xeuss = try! DetectorResponse(instrument: .xeuss, mask: nil, key: "instruments.0")
    static let nanoInXider = try! DetectorResponse(instrument: .nanoInXider, mask: nil, key: "instruments.1")

    @Test("the Fit2D mask shipped with the SAXSDog frame decodes to 356 788 masked pixels and round-trips")
    func fit2dMask() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/saxsdog/AAA_integ.msk").standardized.path
        let mask = try Fit2DMask(contentsOf: path)
        #expect(mask.width == 981 && mask.height == 1043)
        #expect(mask.masked.filter { $0 }.count == 356_788)
        #expect(try Fit2DMask(data: mask.data) == mask)
        #expect(throws: FormatError.self) { try Fit2DMask(data: Data("not a mask".utf8)) }
    }

    @Test("Eiger 1M geometry: module gap and beamstop masked, solid angle p²/L² at the beam, every bin covered")
    func geometry() {
        let r = Self.xeuss
        let rows = Set(r.pixelIndex.map { Int($0) / 1030 })
        #expect(rows.isDisjoint(with: Set(514..<551)))
        #expect(r.binPixels.allSatisfy { $0 > 0 })
        let p = 75e-6, l = 1.2
        #expect(abs(r.pixelSolidAngle.max()! / (p * p / (l * l)) - 1) < 1e-5)
        // The order of magnitude of docs/reference/saxs-physics.md §6.2: a q = 0.05 bin of width 0.001 holds ~1180 counts per cm⁻¹
        // for a full ring; ours is 4.88e-4 wide and fully on the detector.
        let b = r.q.firstIndex { $0 >= 0.05 }!
        let counts = Instrument.xeuss.countsPerUnitIntensityAndSolidAngle * r.binSolidAngle[b]
        #expect(abs(counts / (1180 * 0.000488 / 0.001) - 1) < 0.1)
    }

    @Test("a geometry that leaves a q bin without pixels is rejected, naming the instrument")
    func uncoveredBin() {
        var instrument = Instrument.xeuss
        instrument.beamstopRadius = 3
        do {
            _ = try DetectorResponse(instrument: instrument, mask: nil, key: "instruments.0")
            Issue.record("accepted")
        } catch {
            #expect(error.key == "instruments.0")
            #expect(error.message.contains("q bin 0"))
        }
    }

    // docs/reference/saxs-physics.md §5: sphere R 500, Δρ 10, σ_q = 6.79457e-4, window (−2.5σ, +3σ), "test at about 1e-3".
    @Test("pinhole smearing matches the exact truncated golden values")
    func smearingGolden() {
        let q = [0.0031, 0.005, 0.01, 0.02, 0.05, 0.1, 0.149]
        let expected = [3.162800e6, 1.352557e6, 1.762321e4, 2.980716e3, 1.079773e2, 6.426362, 0.6400114]
        let grid = UniformGrid(start: 0, step: 1e-5, count: 16_000)
        let w = PinholeResolution.matrix(targets: q, sigma: 6.79457e-4, grid: grid)
        let sample = Sample(particle: SphereModel(radius: 500, sld: 10), solvent: 0)
        let smeared = w.apply(sample.intensity(q: grid.nodes))
        for i in 0..<q.count {
            // The table has 7 digits; the quadrature is far better than that.
            #expect(abs(smeared[i] / expected[i] - 1) < 2e-6, "q index \(i): \(smeared[i]) vs \(expected[i])")
        }
    }

    @Test("the adaptive grid level gives binned models within 1e-4 of the finest level",
          arguments: [0, 1])
    func levels(_ instrument: Int) throws {
        let job = SAXSJobTests.job
        let response = job.responses[instrument]
        var checked = 0
        for item in 0..<400 where checked < 45 {
            let (_, sample, drawn) = job.sample(item: item, seed: 11)
            guard drawn == instrument else { continue }
            checked += 1
            let (_, _, sums) = response.modelSums(for: sample)
            let finest = response.levels.last!
            let reference = finest.binning.apply(sample.intensity(q: finest.grid.nodes))
            let worst = zip(sums, reference).map { abs($0 / $1 - 1) }.max()!
            #expect(worst <= 1e-4, "item \(item): \(worst)")
        }
    }

    @Test("fast mode: (I − I_model)/σ_model has mean 0 and variance 1; χ² with σ_model is 1")
    func noisePulls() throws {
        let job = SAXSJobTests.job
        var pulls: [Double] = []
        var chi2: [Double] = []
        for item in 0..<60 {
            let (shape, sample, instrument) = job.sample(item: item, seed: 2)
            var noise = RandomStream(seed: 2, item: item, stream: 1)
            let curve = DetectorSimulation.measure(sample, response: job.responses[instrument], mode: .fast, noise: &noise)
            for b in 0..<curve.model.count { pulls.append((curve.intensity[b] - curve.model[b]) / curve.modelSigma[b]) }
            chi2.append(CurveQC(q: job.responses[instrument].q, curve: curve, rgTrue: sample.radiusOfGyration,
                                elongated: shape.isElongated).chi2)
        }
        let n = Double(pulls.count)
        let mean = pulls.reduce(0, +) / n
        let variance = pulls.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
        #expect(abs(mean) < 5 / n.squareRoot())
        #expect(abs(variance - 1) < 0.03)
        let meanChi2 = chi2.reduce(0, +) / Double(chi2.count)
        #expect(abs(meanChi2 - 1) < 0.03)
    }

    @Test("image and fast modes: identical expectations, statistically indistinguishable curves")
    func imageEqualsFast() throws {
        let sample = Sample(particle: SphereModel(radius: 150, sld: 14), solvent: 9.47, scale: 0.002,
                            background: 0.001, polydispersity: [Polydispersity("radius", SizeDistribution(relativeWidth: 0.1))])
        let response = Self.xeuss
        let draws = 24
        var fast: [[Double]] = [], image: [[Double]] = []
        var modelVariance: [Double] = []
        for k in 0..<draws {
            var a = RandomStream(seed: 9, item: k, stream: 1)
            var b = RandomStream(seed: 9, item: k, stream: 1)
            let f = DetectorSimulation.measure(sample, response: response, mode: .fast, noise: &a)
            let i = DetectorSimulation.measure(sample, response: response, mode: .image, keepFrame: k == 0, noise: &b)
            fast.append(f.intensity)
            image.append(i.intensity)
            modelVariance = f.modelSigma.map { $0 * $0 }
            if k == 0 {
                #expect(f.model == i.model)
                // The frame's counts summed per bin reproduce the image-mode sample counts.
                #expect(i.frame?.count == 1065 * 1030)
                let total = i.frame!.reduce(0) { $0 + Int($1) }
                #expect(total > 0)
            }
        }
        // Per bin: the difference of the two modes' means, in units of its standard error, should be N(0, 1);
        // and each mode's sample variance should match the model variance (λ_S + λ_B)/normaliser².
        let bins = fast[0].count
        var z2 = 0.0, fastVariance = 0.0, imageVariance = 0.0
        for b in 0..<bins {
            let fm = fast.map { $0[b] }.reduce(0, +) / Double(draws)
            let im = image.map { $0[b] }.reduce(0, +) / Double(draws)
            let fv = fast.map { ($0[b] - fm) * ($0[b] - fm) }.reduce(0, +) / Double(draws - 1)
            let iv = image.map { ($0[b] - im) * ($0[b] - im) }.reduce(0, +) / Double(draws - 1)
            z2 += (fm - im) * (fm - im) / ((fv + iv) / Double(draws))
            fastVariance += fv / modelVariance[b]
            imageVariance += iv / modelVariance[b]
        }
        // χ²/bins of 300 bins: 1 ± 3·√(2/300) ≈ 1 ± 0.25 (the t-distribution of 24 draws widens it a little).
        #expect(abs(z2 / Double(bins) - 1) < 0.3)
        // Mean of 300 χ²(23)/23 variables: 1 ± 4·0.017.
        #expect(abs(fastVariance / Double(bins) - 1) < 0.07)
        #expect(abs(imageVariance / Double(bins) - 1) < 0.07)
    }
}
