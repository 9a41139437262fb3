@testable import Plot
import Testing

@Suite struct SymlogScaleTests {
    @Test("matplotlib's symlog transform (base 10, linthresh 2, linscale 1): golden values and the inverse")
    func transform() {
        // matplotlib.scale.SymmetricalLogTransform(10, 2, 1).transform([0, 1, 2, 20, -200]) = [0, 1.1111, 2.2222, 4.2222, -6.2222]
        let want = [0, 10.0 / 9, 20.0 / 9, 20.0 / 9 + 2, -(20.0 / 9 + 4)]
        for (v, w) in zip([0, 1, 2, 20, -200.0], want) {
            #expect(abs(Scale.symlog(v) - w) < 1e-12)
            #expect(abs(Scale.inverseSymlog(Scale.symlog(v)) - v) < 1e-9 * max(1, abs(v)))
        }
    }

    @Test("a symlog scale places negative, zero and positive values; fraction and value invert each other")
    func scale() {
        let s = Scale(.symlog, -100, 1000)
        #expect(s.accepts(-5) && s.accepts(0) && !s.accepts(.nan))
        for f in [0.0, 0.25, 0.5, 1.0] { #expect(abs(s.fraction(s.value(at: f)) - f) < 1e-12) }
        let fitted = Scale.fitting([-50, 0, 500], kind: .symlog, padding: 0)
        #expect(abs(fitted.lower + 50) < 1e-9 && abs(fitted.upper - 500) < 1e-9)
    }

    @Test("symlog ticks: 0 and signed powers of ten within the range, labelled")
    func ticks() {
        let ticks = Ticks.ticks(for: Scale(.symlog, -150, 1500), count: 10)
        #expect(ticks.map(\.value) == [-100, -10, -1, 0, 1, 10, 100, 1000])
        #expect(ticks.first { $0.value == 0 }?.label == "0")
        #expect(ticks.first { $0.value == -100 }?.label == "\u{2212}10²")
    }
}
