import Core

/// The centre of the ROI on the oriented frame: `auto` (the sub-pixel centre of mass of the masked mean pattern),
/// or a row and column each in pixels (`64.5`) or in percent of the frame's last index (`50%` = (n − 1)/2). The
/// original kit guessed between fractions and pixels from the value; here the unit is written.
public enum CentreSpec: Sendable, Equatable {
    case auto
    case given(row: Coordinate, column: Coordinate)

    /// A coordinate in pixels or in percent of (n − 1).
    public enum Coordinate: Sendable, Equatable {
        case pixels(Double)
        case percent(Double)

        /// The coordinate in pixels along an axis of `n` pixels.
        public func pixels(along n: Int) -> Double {
            switch self {
            case .pixels(let p): p
            case .percent(let f): f / 100 * Double(n - 1)
            }
        }
    }

    /// Parses `auto` or `cy,cx`.
    /// - Throws: ``ConfigError`` at `key`.
    public init(parsing text: String, key: String) throws(ConfigError) {
        if text.trimmingCharacters(in: .whitespaces) == "auto" { self = .auto; return }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        func coordinate(_ s: String) throws(ConfigError) -> Coordinate {
            if s.hasSuffix("%"), let f = Double(s.dropLast()), f.isFinite { return .percent(f) }
            if let p = Double(s), p.isFinite { return .pixels(p) }
            throw ConfigError(key: key, "'\(s)' is neither pixels (64.5) nor a percentage (50%)")
        }
        guard parts.count == 2 else { throw ConfigError(key: key, "must be auto or cy,cx (got '\(text)')") }
        self = .given(row: try coordinate(parts[0]), column: try coordinate(parts[1]))
    }
}
