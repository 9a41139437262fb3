import Foundation

extension ConfigError {
    /// Throws unless `value` is finite and within `lower`…`upper` (the lower end open when `lowerOpen`), saying so
    /// with the unit and, when given, why the bound is there: e.g. `instruments.0.flux = inf: must be finite and in
    /// (0, 1e20] photons/s`. Workloads check their physical inputs with it.
    public static func bound(_ value: Double, key: String, _ lower: Double, _ upper: Double, lowerOpen: Bool = false,
                             unit: String = "", why: String = "") throws(ConfigError) {
        let above = lowerOpen ? value > lower : value >= lower
        guard value.isFinite, above, value <= upper else {
            let interval = (lowerOpen ? "(" : "[") + "\(number(lower)), \(number(upper))]"
            throw ConfigError(key: key, "\(number(value)) is out of range: must be finite and in \(interval)"
                              + (unit.isEmpty ? "" : " \(unit)") + (why.isEmpty ? "" : " (\(why))"))
        }
    }

    /// ``bound(_:key:_:_:lowerOpen:unit:why:)`` for both ends of a `[min, max]` range.
    public static func bound(range: [Double], key: String, _ lower: Double, _ upper: Double, lowerOpen: Bool = false,
                             unit: String = "", why: String = "") throws(ConfigError) {
        for value in range { try bound(value, key: key, lower, upper, lowerOpen: lowerOpen, unit: unit, why: why) }
    }

    /// Throws unless the count `value` is within `range`, saying why it is bounded.
    public static func bound(count value: Int, key: String, _ range: ClosedRange<Int>, why: String) throws(ConfigError) {
        guard range.contains(value) else {
            throw ConfigError(key: key, "\(value) is out of range: must be from \(range.lowerBound) to "
                              + "\(range.upperBound) (\(why))")
        }
    }

    /// A number as a person writes it: `1e20`, `0.001`, `inf`, `nan`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e6 { return String(Int(value)) }
        // %g writes 1e+20 and 1e-09: drop the plus and the exponent's leading zeros.
        let text = String(format: "%g", value).replacingOccurrences(of: "e+", with: "e")
        guard let e = text.firstIndex(of: "e") else { return text }
        var exponent = text[text.index(after: e)...]
        let sign = exponent.hasPrefix("-") ? "-" : ""
        exponent = exponent.drop { $0 == "-" || $0 == "0" }
        return String(text[..<e]) + "e" + sign + (exponent.isEmpty ? "0" : String(exponent))
    }
}
