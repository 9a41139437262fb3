import Core

/// A physical quantity with its unit, as the command line writes it (`7000eV`, `2m`, `172um`), converted to the
/// unit the output stores: eV for energy, metres for lengths. A number without a unit is refused: the original
/// kit guessed, and a pixel size in µm read as metres is silently wrong by 10⁶.
public struct Quantity: Sendable, Equatable {
    /// What the quantity measures, with the units it may be given in and their factors to the stored unit.
    public enum Kind: String, Sendable {
        case energy, length

        /// Unit → factor to the stored unit (eV, m). J uses the exact elementary charge (SI 2019).
        var factors: [String: Double] {
            switch self {
            case .energy: ["eV": 1, "keV": 1e3, "J": 1 / 1.602176634e-19]
            case .length: ["m": 1, "mm": 1e-3, "um": 1e-6, "µm": 1e-6, "nm": 1e-9]
            }
        }

        /// The stored unit's name.
        public var storedUnit: String { self == .energy ? "eV" : "m" }
    }

    /// The value in the stored unit (eV or m).
    public let value: Double

    /// The value in the stored unit.
    public init(stored value: Double) { self.value = value }

    /// Parses `text` (`7000eV`, `7 keV`, `1.5e-3m`, `172um`) as a quantity of `kind`.
    /// - Throws: ``ConfigError`` at `key` when the number or unit is missing or unknown.
    public init(parsing text: String, kind: Kind, key: String) throws(ConfigError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unitStart = trimmed.firstIndex { $0.isLetter || $0 == "µ" } ?? trimmed.endIndex
        let number = trimmed[..<unitStart].trimmingCharacters(in: .whitespaces)
        let unit = String(trimmed[unitStart...])
        guard let x = Double(number), x.isFinite else {
            throw ConfigError(key: key, "'\(text)' is not a number with a unit (e.g. \(Self.example(kind)))")
        }
        guard !unit.isEmpty else {
            throw ConfigError(key: key, "'\(text)' has no unit: write one of \(Self.units(kind)) (e.g. \(Self.example(kind)))")
        }
        value = try Self.factor(unit, kind: kind, key: key) * x
    }

    /// The factor from `unit` to the stored unit of `kind`.
    /// - Throws: ``ConfigError`` at `key` naming the unit and the known ones.
    public static func factor(_ unit: String, kind: Kind, key: String) throws(ConfigError) -> Double {
        let normalised = unit.trimmingCharacters(in: .whitespaces)
        let known = kind.factors
        if let f = known[normalised] { return f }
        // areaDetector and NeXus files spell units freely: accept case variants and "micron".
        let aliases = ["ev": "eV", "kev": "keV", "j": "J", "micron": "um", "microns": "um", "mm": "mm", "m": "m",
                       "nm": "nm", "um": "um", "meter": "m", "metre": "m", "millimeter": "mm", "millimetre": "mm"]
        if let alias = aliases[normalised.lowercased()], let f = known[alias] { return f }
        throw ConfigError(key: key, "unknown \(kind.rawValue) unit '\(unit)': use one of \(units(kind))")
    }

    static func units(_ kind: Kind) -> String { kind == .energy ? "eV, keV, J" : "m, mm, um, nm" }
    static func example(_ kind: Kind) -> String { kind == .energy ? "7000eV or 7keV" : "2m or 172um" }
}
