import Foundation
import Integration
import Testing

/// pyFAI's corrections for PONI calibrations (issue 25): the formulas at known points, and the engine's ratio of
/// sums against a direct sum over pixels, with excluded pixels and a dark.
@Suite struct PixelNormalizationTests {
    /// A 6 × 8 detector of 1 mm pixels 10 mm from the sample, PONI at its centre, no rotation.
    static func calibration() throws -> Calibration {
        try Calibration.fromPONI("""
            poni_version: 2
            Detector_config: {"pixel1": 0.001, "pixel2": 0.001, "max_shape": [6, 8]}
            Distance: 0.01
            Poni1: 0.003
            Poni2: 0.004
            Rot1: 0
            Rot2: 0
            Rot3: 0
            Wavelength: 1e-10
            """, file: "t.poni", mask: nil, oversampling: 1, imageSize: nil)
    }

    @Test("pyFAI's polarization: 1 at 2θ = 0, (1 − f)/2 + … at 90°: ½(1 + cos²2θ − f cos 2χ (1 − cos²2θ))")
    func polarization() {
        #expect(PixelNormalization.polarization(twoTheta: 0, chi: 0.3, factor: 0.99) == 1)
        #expect(abs(PixelNormalization.polarization(twoTheta: .pi / 2, chi: 0, factor: 1) - 0) < 1e-15)
        #expect(abs(PixelNormalization.polarization(twoTheta: .pi / 2, chi: .pi / 2, factor: 1) - 1) < 1e-15)
        #expect(abs(PixelNormalization.polarization(twoTheta: .pi / 2, chi: 0.7, factor: 0) - 0.5) < 1e-15)
    }

    @Test("solid angle cos³α at a corner pixel; SAXSDog calibrations refuse the corrections")
    func solidAngle() throws {
        var corrections = PyFAICorrections()
        let norm = try #require(try PixelNormalization.make(corrections, calibration: Self.calibration())).norm
        // Pixel (0, 0): centre 2.5 mm and 3.5 mm from the PONI at 10 mm: cos α = 10/√(100 + 6.25 + 12.25).
        let cosine = 10 / (118.5 as Double).squareRoot()
        #expect(abs(Double(norm[0]) - cosine * cosine * cosine) < 1e-7)
        corrections.solidAngle = false
        #expect(try PixelNormalization.make(corrections, calibration: Self.calibration()) == nil)
        let saxsdog = try SAXSDogData.calibration("cal.json")
        #expect(try PixelNormalization.make(PyFAICorrections(), calibration: saxsdog) == nil)
        corrections.polarizationFactor = 0.5
        #expect(throws: CalibrationError.self) { try PixelNormalization.make(corrections, calibration: saxsdog) }
    }

    @Test("I = Σ c (n − dark) / Σ c norm and σ = √(Σ c² max(n, 1)) / Σ c norm over the unexcluded pixels")
    func ratioOfSums() throws {
        let calibration = try Self.calibration()
        let pixels = 48
        let norm = (0..<pixels).map { Float(0.5 + 0.02 * Double($0)) }
        let dark = (0..<pixels).map { Float(($0 % 5)) * 0.25 }
        let normalization = PixelNormalization(norm: norm, dark: dark)
        let matrix = IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0], valid: nil,
                                       normalization: normalization)
        var frame = (0..<pixels).map { Float(10 + ($0 * 7) % 13) }
        frame[9] = .nan  // excluded in this frame only
        let curve = integrate(matrix, [frame])[0]
        let plain = IntegrationMatrix(calibration: calibration, settings: calibration.integrations[0], valid: nil)
        var checked = 0
        for k in 0..<matrix.bins {
            // The bin's pixels from the matrix without normalization (weights 1, no splitting at oversampling 1).
            let members = (Int(plain.rowStart[k])..<Int(plain.rowStart[k + 1])).map { Int(plain.pixel[$0]) }
                .filter { $0 != 9 }
            guard !members.isEmpty else { continue }
            let signal = members.reduce(0.0) { $0 + Double(frame[$1]) - Double(dark[$1]) }
            let area = members.reduce(0.0) { $0 + Double(norm[$1]) }
            let variance = members.reduce(0.0) { $0 + max(Double(frame[$1]), 1) }
            #expect(abs(curve.intensity[k] / (signal / area) - 1) < 1e-6)
            #expect(abs(curve.standardError[k] / (variance.squareRoot() / area) - 1) < 1e-6)
            #expect(abs(curve.pixels[k] - Double(members.count)) < 1e-5)
            checked += 1
        }
        #expect(checked >= 5)
    }
}
