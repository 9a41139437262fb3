import Foundation
import Testing
@testable import Sinograms

@Suite struct AbsorptionTests {
    /// Units in the last place between two positive floats.
    static func ulps(_ a: Float, _ b: Float) -> Int { abs(Int(a.bitPattern) - Int(b.bitPattern)) }

    @Test("logPositive is within 2 ulp of libm's logf from subnormals to the largest float, and exact at 1 and ∞")
    func logMatchesLibm() {
        var x: Float = .leastNonzeroMagnitude
        var worst = 0
        while x < .greatestFiniteMagnitude / 1.01 {
            let expected = log(x)
            // Relative to the result's size: ulps of ln x (near x = 1 the result is tiny and ulps are meaningless).
            let error = abs(Double(Absorption.logPositive(x)) - Double(expected)) / Double(max(abs(expected).ulp, Float.ulpOfOne.ulp))
            if abs(x - 1) > 1e-3 { worst = max(worst, Int(error.rounded(.up))) }
            x = max(x * 1.0137, x.nextUp)
        }
        #expect(worst <= 2)
        #expect(Absorption.logPositive(1) == 0)
        #expect(Absorption.logPositive(.infinity) == .infinity)
        #expect(abs(Absorption.logPositive(1e-9) - log(Float(1e-9))) <= log(Float(1e-9)).ulp)
    }

    @Test("absorption is −ln of the guarded transmission, whatever the plane's length")
    func absorptionOfOnePlane() {
        let flat: [Float] = [1000, 1000, 50, 100, 100, 2000, 900, 10, 10]
        let dark: [Float] = [100, 100, 50, 100, 100, 100, 100, 10, 20]
        var slab: [Float] = [550, 1000, 60, 50, .nan, 2000, 100, 10, 30]
        let absorption = Absorption(flat: flat, dark: dark)
        var span = slab.mutableSpan
        absorption.apply(to: &span)
        // The uint16 path, a line at a time (here two pieces of the plane), gives the same values.
        let raw: [UInt16] = [550, 1000, 60, 50, 0, 2000, 100, 10, 30]
        var widened = [Float](repeating: 0, count: raw.count)
        widened.withUnsafeMutableBufferPointer { w in
            var first = UnsafeMutableBufferPointer(rebasing: w[0..<4]).mutableSpan
            var rest = UnsafeMutableBufferPointer(rebasing: w[4...]).mutableSpan
            absorption.apply(raw.span.extracting(0..<4), at: 0, into: &first)
            absorption.apply(raw.span.extracting(4...), at: 4, into: &rest)
        }
        for i in [0, 1, 2, 3, 5, 6, 7, 8] { #expect(widened[i] == slab[i]) }
        let expected: [Float] = [-log(Float(0.5)), 0, -log(Float(10) / 1e-6), -log(Float(1e-9)), -log(Float(1e-9)),
                                 -log(Float(1900) / 1900), -log(Float(1e-9)), -log(Float(1e-9)), -log(Float(10) / 1e-6)]
        for (got, want) in zip(slab, expected) { #expect(abs(got - want) <= 2 * max(want.ulp, Float.ulpOfOne)) }
    }
}
