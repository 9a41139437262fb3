import Core

/// Where a scalar quantity comes from: given on the command line with its unit, or read from the input file as a
/// dataset (`/path`) or an attribute (`/path@name`), its unit from the file's `units` attribute or a `[unit]`
/// suffix (`/entry/instrument/NDAttributes/Energy[keV]`).
public enum QuantitySource: Sendable, Equatable {
    case given(Quantity)
    case dataset(path: String, unit: String?)
    case attribute(object: String, name: String, unit: String?)

    /// Parses a path as the config writes it: `/a/b`, `/a/b[keV]`, `/a@energy`, `/a@energy[eV]`.
    public init(path text: String) {
        var path = text.trimmingCharacters(in: .whitespaces)
        var unit: String?
        if path.hasSuffix("]"), let open = path.lastIndex(of: "[") {
            unit = String(path[path.index(after: open)..<path.index(before: path.endIndex)])
            path = String(path[..<open])
        }
        if let at = path.lastIndex(of: "@") {
            let object = String(path[..<at])
            self = .attribute(object: object.isEmpty ? "/" : object, name: String(path[path.index(after: at)...]), unit: unit)
        } else {
            self = .dataset(path: path, unit: unit)
        }
    }

    /// Whether the quantity is read from the input file (a dataset or an attribute).
    public var isPath: Bool {
        if case .given = self { return false }
        return true
    }

    /// The source of config keys `key` (a value with a unit) and `key_path` (a place in the input file); nil when
    /// neither is given (a TIFF series' CSV may say).
    static func from(value: String?, path: String?, key: String, kind: Quantity.Kind) throws(ConfigError) -> QuantitySource? {
        switch (value, path) {
        case (let v?, nil): return .given(try Quantity(parsing: v, kind: kind, key: key))
        case (nil, let p?): return QuantitySource(path: p)
        case (.some, .some): throw ConfigError(key: key, "give \(key) or \(key)_path, not both")
        case (nil, nil): return nil
        }
    }
}
