@testable import Plot
import Testing

@Suite struct ScaleTests {
    @Test func linearAndLogFractionsInvertEachOther() {
        let linear = Scale(.linear, -2, 6), log = Scale(.log, 1e-3, 10)
        #expect(linear.fraction(2) == 0.5)
        #expect(abs(log.fraction(0.1) - 0.5) < 1e-12)
        for f in [0.0, 0.3, 1.0] {
            #expect(abs(linear.fraction(linear.value(at: f)) - f) < 1e-12)
            #expect(abs(log.fraction(log.value(at: f)) - f) < 1e-12)
        }
    }

    @Test func fittingIgnoresWhatTheScaleCannotShow() {
        let log = Scale.fitting([-1, 0, .nan, 0.01, 100, .infinity], kind: .log, padding: 0)
        #expect(abs(log.lower - 0.01) < 1e-12 && abs(log.upper - 100) < 1e-9)
        let linear = Scale.fitting([3, .nan, 5], kind: .linear, padding: 0.5)
        #expect(linear == Scale(.linear, 2, 6))
        // Nothing or one value still gives lower < upper.
        #expect(Scale.fitting([], kind: .log) == Scale(.log, 1, 10))
        let single = Scale.fitting([4], kind: .linear)
        #expect(single.lower < 4 && single.upper > 4)
    }
}

@Suite struct TickTests {
    @Test func linearTicksAreNiceSteps() {
        let ticks = Ticks.ticks(for: Scale(.linear, 0, 1), count: 5)
        #expect(ticks.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])  // zero is always "0"
        let quarter = Ticks.ticks(for: Scale(.linear, 0, 10), count: 4)
        #expect(quarter.map(\.label) == ["0", "2.5", "5.0", "7.5", "10.0"])
        let negative = Ticks.ticks(for: Scale(.linear, -3, 3), count: 3)
        #expect(negative.map(\.label) == ["\u{2212}2", "0", "2"])
    }

    @Test func largeAndSmallNumbersUseAPowerOfTen() {
        let large = Ticks.ticks(for: Scale(.linear, 0, 4e6), count: 4)
        #expect(large.map(\.label) == ["0", "10⁶", "2×10⁶", "3×10⁶", "4×10⁶"])
        let small = Ticks.ticks(for: Scale(.linear, 0, 3e-4), count: 3)
        #expect(small.map(\.label) == ["0", "10⁻⁴", "2×10⁻⁴", "3×10⁻⁴"])
    }

    @Test func logTicksLabelDecadesWithMinorTicksBetween() {
        let ticks = Ticks.ticks(for: Scale(.log, 0.005, 0.5), count: 6)
        #expect(ticks.compactMap(\.label) == ["10⁻²", "10⁻¹"])
        #expect(ticks.filter { $0.label == nil }.count == 5 + 8 + 4) // 5–9 ×10⁻³, 2–9 ×10⁻², 2–5 ×10⁻¹
        // Many decades: every third one labelled (13 decades for about 6 labels), no minor ticks.
        let wide = Ticks.ticks(for: Scale(.log, 1e-6, 1e6), count: 6)
        #expect(wide.compactMap(\.label) == ["10⁻⁶", "10⁻³", "10⁰", "10³", "10⁶"])
        #expect(wide.count == 13)
    }

    @Test func logTicksWithinADecadeAreOneTwoFive() {
        let ticks = Ticks.ticks(for: Scale(.log, 0.015, 0.09), count: 5)
        #expect(ticks.compactMap(\.label) == ["0.02", "0.05"])
        let narrow = Ticks.ticks(for: Scale(.log, 0.031, 0.048), count: 5)
        #expect(narrow.compactMap(\.label) == ["0.04"] || narrow.count >= 1)
    }

    @Test func fittingDropsTicksUntilLabelsDoNotCollide() {
        let scale = Scale(.linear, 0, 100)
        let narrow = Ticks.fitting(scale, length: 1000, gap: 10) { _ in 10 }
        let wide = Ticks.fitting(scale, length: 1000, gap: 10) { _ in 60 }
        #expect(narrow.count > wide.count)
        let positions = wide.map { scale.fraction($0.value) * 1000 }
        #expect(zip(positions.dropFirst(), positions).allSatisfy { $0 - $1 >= 70 })
    }

    @Test func superscriptsCarryTheSign() {
        #expect(Ticks.superscript(-12) == "⁻¹²" && Ticks.superscript(0) == "⁰")
    }
}
