import Foundation

/// A tick mark on an axis; minor ticks carry no label.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String?

    public init(_ value: Double, _ label: String?) { (self.value, self.label) = (value, label) }
}

/// Tick choice: "nice" steps of 1, 2, 2.5 or 5 × 10ᵏ on linear axes, decades (or 1-2-5 within a decade) on log
/// axes, and the largest number of them whose labels do not collide.
public enum Ticks {
    /// Ticks for `scale` with about `count` labelled ones (never more than `count` + 1 on a linear scale).
    public static func ticks(for scale: Scale, count: Int) -> [Tick] {
        switch scale.kind {
        case .linear: return linear(scale, count: count)
        case .log: return logarithmic(scale, count: count)
        case .symlog: return symmetricLogarithmic(scale, count: count)
        }
    }

    /// The most ticks for `scale` whose labels, `extent(label)` long along an axis of `length`, keep `gap` apart.
    public static func fitting(_ scale: Scale, length: Double, gap: Double = 10,
                               extent: (String) -> Double) -> [Tick] {
        let most = max(2, Int(length / 45))
        var last: [Tick] = []
        for count in stride(from: most, through: 2, by: -1) {
            let ticks = self.ticks(for: scale, count: count)
            last = ticks
            let labelled = ticks.filter { $0.label != nil }
            let positions = labelled.map { scale.fraction($0.value) * length }
            let fits = zip(labelled.indices.dropFirst(), labelled.indices).allSatisfy { i, before in
                abs(positions[i] - positions[before]) >= (extent(labelled[i].label!) + extent(labelled[before].label!)) / 2 + gap
            }
            if fits { return ticks }
        }
        return last
    }

    /// The nice step (1, 2, 2.5, 5 × 10ᵏ) nearest above `raw`, and whether it needs one decimal more (2.5).
    static func niceStep(_ raw: Double) -> (step: Double, extraDecimal: Bool) {
        let magnitude = pow(10, floor(log10(raw)))
        for nice in [1, 2, 2.5, 5] where raw <= nice * magnitude * (1 + 1e-9) {
            return (nice * magnitude, nice == 2.5)
        }
        return (10 * magnitude, false)
    }

    static func linear(_ scale: Scale, count: Int) -> [Tick] {
        let span = scale.upper - scale.lower
        guard span > 0, span.isFinite else { return [] }
        let (step, extra) = niceStep(span / Double(max(1, count)))
        let first = Int((scale.lower / step - 1e-9).rounded(.up)), last = Int((scale.upper / step + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        let largest = max(abs(scale.lower), abs(scale.upper))
        let exponent = (largest >= 1e5 || largest < 1e-3) ? Int(floor(log10(largest))) : 0
        let decimals = max(0, -Int(floor(log10(step / pow(10, Double(exponent))) + 1e-9)) + (extra ? 1 : 0))
        return (first...last).map { k in
            let value = Double(k) * step
            return Tick(value, label(value, decimals: decimals, exponent: exponent))
        }
    }

    static func logarithmic(_ scale: Scale, count: Int) -> [Tick] {
        guard scale.lower > 0, scale.upper > scale.lower else { return [] }
        let low = log10(scale.lower), high = log10(scale.upper)
        let firstDecade = Int((low - 1e-9).rounded(.up)), lastDecade = Int((high + 1e-9).rounded(.down))
        let inRange = { (v: Double) in v >= scale.lower * (1 - 1e-9) && v <= scale.upper * (1 + 1e-9) }
        if lastDecade - firstDecade >= 1 {
            let every = max(1, Int((Double(lastDecade - firstDecade + 1) / Double(max(1, count))).rounded(.up)))
            var ticks: [Tick] = []
            for e in (firstDecade - 1)...lastDecade {
                let decade = pow(10, Double(e))
                if e >= firstDecade {
                    let labelled = (e - firstDecade) % every == 0
                    ticks.append(Tick(decade, labelled ? "10" + superscript(e) : nil))
                }
                if every == 1 && lastDecade - firstDecade <= 8 {
                    ticks += (2...9).map { Double($0) * decade }.filter(inRange).map { Tick($0, nil) }
                }
            }
            return ticks.sorted { $0.value < $1.value }
        }
        // Less than two decades in view: label 1, 2, 5 (or every digit) × 10ᵏ in plain numbers.
        for mantissas in [[1.0, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            var values: [Double] = []
            for e in (Int(floor(low)) - 1)...(Int(ceil(high)) + 1) {
                values += mantissas.map { $0 * pow(10, Double(e)) }.filter(inRange)
            }
            if values.count >= 2 || mantissas.count == 9 {
                return values.map { v in
                    let e = Int(floor(log10(v) + 1e-9))
                    let exponent = (e >= 5 || e < -3) ? e : 0
                    return Tick(v, label(v, decimals: max(0, exponent == 0 ? -e : 0), exponent: exponent))
                }
            }
        }
        return []
    }

    /// Ticks of a symlog axis: 0 and ±10ᵏ (k ≥ 0, the linear part spans ±``Scale/symlogThreshold``), every n-th
    /// power labelled so that about `count` carry labels; a range that holds none of them gets linear ticks.
    static func symmetricLogarithmic(_ scale: Scale, count: Int) -> [Tick] {
        guard scale.upper > scale.lower, scale.lower.isFinite, scale.upper.isFinite else { return [] }
        let largest = max(abs(scale.lower), abs(scale.upper), 1)
        let top = Int(floor(log10(largest) + 1e-9))
        var values: [Double] = [0]
        for e in 0...max(0, top) { values += [pow(10, Double(e)), -pow(10, Double(e))] }
        values = values.filter { $0 >= scale.lower - 1e-12 && $0 <= scale.upper + 1e-12 }.sorted()
        guard values.count >= 2 else { return linear(Scale(.linear, scale.lower, scale.upper), count: count) }
        let every = max(1, Int((Double(values.count) / Double(max(1, count))).rounded(.up)))
        let zero = values.firstIndex(of: 0) ?? 0
        return values.enumerated().map { i, v in
            let labelled = abs(i - zero) % every == 0
            guard labelled else { return Tick(v, nil) }
            if v == 0 { return Tick(0, "0") }
            let e = Int(log10(abs(v)).rounded())
            let text = e == 0 ? "1" : "10" + superscript(e)
            return Tick(v, v < 0 ? "\u{2212}" + text : text)
        }
    }

    /// `value` with `decimals` decimals, as m×10ᵉ when `exponent` is not 0; a true minus sign, never "−0".
    static func label(_ value: Double, decimals: Int, exponent: Int) -> String {
        if abs(value) < 1e-12 * pow(10, Double(exponent)) { return "0" }
        let mantissa = value / pow(10, Double(exponent))
        var text = String(format: "%.\(decimals)f", mantissa)
        if text.hasPrefix("-") { text = "\u{2212}" + text.dropFirst() }
        return exponent == 0 ? text : (text == "1" ? "" : text + "×") + "10" + superscript(exponent)
    }

    /// `n` in superscript digits (10⁻³).
    public static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(String(abs(n)).map { digits[Int(String($0))!] })
    }
}
