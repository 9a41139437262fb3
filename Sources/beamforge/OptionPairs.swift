import Core

/// Command-line options as config keys with YAML values, in the order given, each with the flag that set it
/// (for `ConfigDocument.set(_:to:origin:)`); options not given are left out.
struct OptionPairs {
    private(set) var pairs: [(key: String, value: String, flag: String)] = []

    /// A string option, quoted for YAML.
    mutating func text(_ key: String, _ value: String?, _ flag: String) {
        if let value { pairs.append((key, RunArguments.quoted(value), flag)) }
    }

    /// A number option.
    mutating func number(_ key: String, _ value: (any Numeric)?, _ flag: String) {
        if let value { pairs.append((key, "\(value)", flag)) }
    }

    /// Two pixel counts written `rows,columns` (an ROI), as a YAML list.
    /// - Throws: ``ConfigError`` at `flag` when it is not two integers.
    mutating func sizes(_ key: String, _ value: String?, _ flag: String) throws(ConfigError) {
        guard let value else { return }
        let sizes = value.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard sizes.count == 2, let rows = sizes[0], let columns = sizes[1] else {
            throw ConfigError(key: flag, "must be rows,columns in pixels (got '\(value)')")
        }
        pairs.append((key, "[\(rows), \(columns)]", flag))
    }

    /// A value already in YAML (a list).
    mutating func yaml(_ key: String, _ value: String?, _ flag: String) {
        if let value { pairs.append((key, value, flag)) }
    }
}
