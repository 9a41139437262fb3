import Core
import Formats
import Foundation
import Integration
import LibTIFF
import Testing

/// The SAXSDog reference data of Tests/Fixtures/saxsdog (docs/reference/integration.md §1).
enum SAXSDogData {
    static let directory = URL(fileURLWithPath: #filePath)
        .appendingPathComponent("../../Fixtures/saxsdog").standardized.path

    static func calibration(_ name: String, mask: Bool = true) throws -> Calibration {
        var calibration = try Calibration.load(directory + "/" + name)
        // calgeo/calpol name emptymask.tif, which is not shipped: no pixel masked.
        if !mask { for i in calibration.integrations.indices { calibration.integrations[i].maskFile = nil } }
        return calibration
    }

    static func frame() throws -> [Float] { try TIFF.read(directory + "/buf1_00000.tif").pixels }

    static func validPixels(_ calibration: Calibration) throws -> [Bool]? {
        try IntegrateJob.loadMask(calibration.integrations[0].maskFile, rows: calibration.geometry.rows,
                                  columns: calibration.geometry.columns, calibration: calibration.file)
    }
}

func integrate(_ matrix: IntegrationMatrix, _ frames: [[Float]], mask: DynamicMask = DynamicMask()) -> [IntegratedCurve] {
    let joined = frames.flatMap { $0 }
    return IntegrationMatrix.integrate(frames: joined.span, count: frames.count, masks: frames.map { _ in mask },
                                       with: [matrix]).curves[0]
}

@Suite struct IntegrationTests {
    @Test("cal.json reproduces the reference re-implementation's bins and spot values (docs/reference/integration.md §1)")
    func spotValues() throws {
        let calibration = try SAXSDogData.calibration("cal.json")
        let matrix = IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0],
                                       valid: try SAXSDogData.validPixels(calibration))
        #expect(matrix.bins == 1003)
        #expect(abs(matrix.centers[0] / 3.3627570e-3 - 1) < 1e-7)
        #expect(abs((matrix.centers[1] - matrix.centers[0]) / 6.7255141e-3 - 1) < 1e-7)
        let curve = integrate(matrix, [try SAXSDogData.frame()])[0]
        #expect(curve.intensity.filter(\.isNaN).count == 52)
        // Reference: bin 100 q 0.675914, I 87.334094, err 0.598952; bin 400 q 2.693568, I 63.267768, err 0.281142
        // (printed to 6 decimals, hence the tolerance).
        for (k, q, i, e) in [(100, 0.675914, 87.334094, 0.598952), (400, 2.693568, 63.267768, 0.281142)] {
            #expect(abs(matrix.centers[k] - q) < 1e-6)
            #expect(abs(curve.intensity[k] - i) < 1e-6)
            #expect(abs(curve.saxsdogError[k] - e) < 1e-6)
        }
    }

    @Test("oversampling 1 equals plain binning by pixel centre, bit for bit", arguments: ["cal.json", "calgeo.json"])
    func oversamplingOneIsPlainBinning(file: String) throws {
        var calibration = try SAXSDogData.calibration(file, mask: file == "cal.json")
        calibration.integrations[0].oversampling = 1
        let valid = try SAXSDogData.validPixels(calibration)
        let matrix = IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0], valid: valid)
        #expect(matrix.weight.allSatisfy { $0 == 1 } && matrix.weightScale == 1)
        let frame = try SAXSDogData.frame()
        // Direct binning: each unmasked, non-negative pixel to bin ⌊q·scale⌋, summed in pixel order.
        let geometry = ScatteringGeometry(calibration.geometry)
        var sum = [Double](repeating: 0, count: matrix.bins), count = [Double](repeating: 0, count: matrix.bins)
        for i in 0..<matrix.rows {
            for j in 0..<matrix.columns where valid?[i * matrix.columns + j] ?? true {
                let p = i * matrix.columns + j
                let a = geometry.angles(row: Double(i) + 0.5, column: Double(j) + 0.5)
                let k = Int(calibration.q(twoTheta: a.twoTheta) * matrix.scale)
                guard frame[p] >= 0 else { continue }
                sum[k] += Double(frame[p])
                count[k] += 1
            }
        }
        let curve = integrate(matrix, [frame])[0]
        for k in 0..<matrix.bins {
            if count[k] == 0 { #expect(curve.intensity[k].isNaN) } else { #expect(curve.intensity[k] == sum[k] / count[k]) }
        }
    }

    @Test("a constant image integrates to exactly 1 in every bin, mask borders included",
          arguments: [PixelSplitting.oversampling, .full])
    func constantImage(splitting: PixelSplitting) throws {
        let calibration = try SAXSDogData.calibration("cal.json")
        let matrix = IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0],
                                       valid: try SAXSDogData.validPixels(calibration), splitting: splitting)
        let ones = [Float](repeating: 1, count: matrix.rows * matrix.columns)
        let curve = integrate(matrix, [ones])[0]
        let filled = curve.intensity.filter { !$0.isNaN }
        #expect(filled.count > 900)
        #expect(filled.allSatisfy { $0 == 1 })
        #expect(curve.deviation.filter { !$0.isNaN }.allSatisfy { $0 == 0 })
    }

    @Test("every unmasked pixel's weights sum to 1 and masked pixels have none", arguments: [PixelSplitting.oversampling, .full])
    func weightsSumToOne(splitting: PixelSplitting) throws {
        let calibration = try SAXSDogData.calibration("calgeo.json", mask: false)
        let matrix = IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0], valid: nil,
                                       splitting: splitting)
        var total = [Double](repeating: 0, count: matrix.rows * matrix.columns)
        for (p, w) in zip(matrix.pixel, matrix.weight) { total[Int(p)] += Double(w) * matrix.weightScale }
        #expect(total.allSatisfy { abs($0 - 1) < 1e-6 })
        let masked = IntegrationMatrix(calibration: try SAXSDogData.calibration("cal.json"),
                                       settings: try SAXSDogData.calibration("cal.json").integrations[0],
                                       valid: try SAXSDogData.validPixels(try SAXSDogData.calibration("cal.json")))
        #expect(Set(masked.pixel).count == 666_395)
    }

    @Test("an image equal to the polarization factor integrates to 1 (calpol.json: fraction 1, -10° tilt)")
    func polarization() throws {
        let calibration = try SAXSDogData.calibration("calpol.json", mask: false)
        let matrix = IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0], valid: nil)
        let factors = try #require(matrix.correction)
        // The image 1/corr = pol; corrected, every pixel is 1 up to float32 rounding of both (≤ 2 ulp ≈ 2.4e-7).
        let image = factors.map { 1 / $0 }
        let curve = integrate(matrix, [image])[0]
        let filled = curve.intensity.filter { !$0.isNaN }
        #expect(filled.count > 900)
        #expect(filled.allSatisfy { abs($0 - 1) < 1e-6 })
        // The correction reaches 1 % at the detector edge, so the test is not vacuous.
        #expect(factors.max()! > 1.005)
    }

    @Test("exact-area splitting agrees with oversampling 3 on the real frame")
    func fullSplitAgrees() throws {
        let calibration = try SAXSDogData.calibration("cal.json")
        let valid = try SAXSDogData.validPixels(calibration)
        let frame = try SAXSDogData.frame()
        let over = integrate(IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0],
                                               valid: valid), [frame])[0]
        let full = integrate(IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0],
                                               valid: valid, splitting: .full), [frame])[0]
        // Both split each pixel over the same bins (the same bin grid); ratios over 0.1 < q < 6 nm⁻¹.
        var ratios: [Double] = []
        for k in 20..<900 where !over.intensity[k].isNaN && !full.intensity[k].isNaN {
            ratios.append(full.intensity[k] / over.intensity[k])
        }
        ratios.sort()
        #expect(abs(ratios[ratios.count / 2] - 1) < 5e-4)
        #expect(ratios[ratios.count / 20] > 0.99 && ratios[ratios.count * 19 / 20] < 1.01)
    }

    @Test("dynamic masking drops negative and overflowing pixels of each frame separately")
    func dynamicMask() throws {
        let calibration = try SAXSDogData.calibration("calgeo.json", mask: false)
        var settings = calibration.integrations[0]
        settings.oversampling = 1
        let matrix = IntegrationMatrix(calibration: calibration, settings: settings, valid: nil)
        let n = matrix.rows * matrix.columns
        var a = [Float](repeating: 5, count: n), b = [Float](repeating: 5, count: n)
        for p in stride(from: 0, to: n, by: 7) { a[p] = -1 }         // gaps in frame a
        for p in stride(from: 3, to: n, by: 11) { b[p] = 65535 }     // overflow in frame b
        let curves = integrate(matrix, [a, b], mask: DynamicMask(negative: true, overflow: 65535))
        for curve in curves { #expect(curve.intensity.filter { !$0.isNaN }.allSatisfy { $0 == 5 }) }
    }

    @Test("integral parameters follow SAXSDog: first bins with q ≥ qStart and q ≥ qStop, NaN skipped")
    func integralParameters() {
        let q = [0.5, 1.5, 2.5, 3.5, 4.5]
        let i = [1.0, .nan, 2.0, 4.0, 8.0]
        let p = IntegralParameters.compute(q: q, intensity: i, qStart: 1, qStop: 4)
        // Bins 1...3 (q 1.5, 2.5, 3.5), bin 1 NaN; Δq = 1.
        #expect(p.i0 == 6 && p.i1 == 2 * 2.5 + 4 * 3.5 && p.i2 == 2 * 2.5 * 2.5 + 4 * 3.5 * 3.5)
    }
}

@Suite struct CalibrationTests {
    func load(_ text: String) throws -> Calibration {
        let path = FileManager.default.temporaryDirectory.path + "/bf-cal-\(UInt64.random(in: 0...UInt64.max)).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Calibration.load(path)
    }

    func message(_ text: String) -> String {
        do { _ = try load(text); return "" } catch { return "\(error)" }
    }

    var base: String { try! String(contentsOfFile: SAXSDogData.directory + "/cal.json", encoding: .utf8) }

    @Test func missingAndIllTypedFieldsAreNamed() {
        #expect(message(base.replacingOccurrences(of: "\"Wavelength\": 1.54,", with: "")).contains("Wavelength: is required"))
        #expect(message(base.replacingOccurrences(of: "\"Wavelength\": 1.54", with: "\"Wavelength\": 0"))
            .contains("Wavelength: must be positive"))
        #expect(message(base.replacingOccurrences(of: "\"TiltAngleDeg\": -0.56", with: "\"TiltAngleDeg\": \"x\""))
            .contains("Geometry.Tilt.TiltAngleDeg: must be a number, not a string"))
        #expect(message(base.replacingOccurrences(of: "\"Oversampling\": 3", with: "\"Oversampling\": 2.5"))
            .contains("Masks[0].Oversampling: must be a whole number"))
        #expect(message(base.replacingOccurrences(of: "\"Threads\": 2", with: "\"Threads\": 2, \"Wavelenght\": 1"))
            .contains("Wavelenght: unknown key"))
        #expect(message(base.replacingOccurrences(of: "[\n            808.37,", with: "[")).contains("Geometry.BeamCenter"))
    }

    @Test func correctSpellingAndWarnings() throws {
        let fixed = try load(base.replacingOccurrences(of: "DedectorDistanceMM", with: "DetectorDistanceMM"))
        guard case .fit2d(let g) = fixed.geometry else { Issue.record("not fit2d"); return }
        #expect(g.distanceMM == 1031.657)
        #expect(fixed.warnings.isEmpty)
        let off = try load(base.replacingOccurrences(of: "387.772", with: "-50"))
        #expect(off.warnings.contains { $0.contains("outside the 1043 × 981 detector") })
    }

    @Test func chiTextLayout() {
        let header = ChiFile.header(calibrationJSON: "{}", integrals: (1, 2.5, .nan), labels: ChiFile.radialLabels, rows: 2)
        let text = ChiFile.text(header: header, columns: [[0.5, 1.5], [3, .nan], [1e-20, 2]])
        let expected = "{}\n" + #"{"I0": 1.0, "I1": 2.5, "I2": NaN}"# + "\n"
            + #"["Scattering Vector  q [$nm^{-1}$]", "Intensity (Count/Pixel)", "Error Margin"]"# + "\n   2\n "
            + "5.000000000000000000e-01 3.000000000000000000e+00 9.999999999999999452e-21\n "
            + "1.500000000000000000e+00 nan 2.000000000000000000e+00\n "
        #expect(text == expected)
    }
}

@Suite struct SharedMatrixBuildTests {
    /// A stand-in for a run of `processes` ranks: each part built on its own, in reverse order, travelling as bytes.
    static func sharded(_ processes: Int) -> SharedBuild {
        SharedBuild(processes: processes) { count, part in
            var parts = [[UInt8]](repeating: [], count: count)
            for index in (0..<count).reversed() { parts[index] = Array(try part(index)) }
            return parts
        }
    }

    @Test("a matrix built in parts by 3 ranks equals the serial one, oversampled and split, radial and phi-mode",
          arguments: [(PixelSplitting.oversampling, false), (.full, false), (.oversampling, true)])
    func sharedEqualsSerial(splitting: PixelSplitting, phiMode: Bool) throws {
        let calibration = try SAXSDogData.calibration("cal.json")
        var settings = calibration.integrations[0]
        settings.oversampling = 2
        settings.phiMode = phiMode
        let serial = IntegrationMatrix(calibration: calibration, settings: settings, valid: nil, splitting: splitting)
        let shared = IntegrationMatrix(calibration: calibration, settings: settings, valid: nil, splitting: splitting,
                                       build: Self.sharded(3))
        #expect(shared.centers.map(\.bitPattern) == serial.centers.map(\.bitPattern))
        #expect(shared.rowStart == serial.rowStart && shared.pixel == serial.pixel)
        #expect(shared.weight.map(\.bitPattern) == serial.weight.map(\.bitPattern))
    }
}
