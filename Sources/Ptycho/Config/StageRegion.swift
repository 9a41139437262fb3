import Core

/// Parsing and checking of a region of stage coordinates, as `ptycho-ingest` selects positions with it and
/// `ptycho-qc` limits its rejections to it.
extension RejectionRule.Region {
    /// The region of config keys `rect` (`[CX, CY, W, H]`) or `circ` (`[CX, CY, R]`), nil when neither is given;
    /// each value a length in metres (`2e-6`) or with its unit (`2um`).
    /// - Throws: ``ConfigError`` at `rect` or `circ` naming the value at fault.
    public static func parsing(rect: [String]?, circ: [String]?) throws(ConfigError) -> Self? {
        func lengths(_ values: [String], key: String, count: Int, names: String) throws(ConfigError) -> [Double] {
            guard values.count == count else {
                throw ConfigError(key: key, "must be \(names) (m, or with units: 2um; got \(values.count) values)")
            }
            var out: [Double] = []
            for v in values {
                if let x = Double(v.trimmingCharacters(in: .whitespaces)), x.isFinite { out.append(x); continue }
                out.append(try Quantity(parsing: v, kind: .length, key: key).value)
            }
            return out
        }
        let region: Self?
        switch (rect, circ) {
        case (let r?, nil):
            let v = try lengths(r, key: "rect", count: 4, names: "CX CY W H")
            region = .rectangle(cx: v[0], cy: v[1], width: v[2], height: v[3])
        case (nil, let c?):
            let v = try lengths(c, key: "circ", count: 3, names: "CX CY R")
            region = .circle(cx: v[0], cy: v[1], radius: v[2])
        case (.some, .some): throw ConfigError(key: "rect", "give rect or circ, not both")
        case (nil, nil): region = nil
        }
        try region?.validate()
        return region
    }

    /// The config key that gives this kind of region.
    public var key: String {
        if case .circle = self { return "circ" }
        return "rect"
    }

    /// Checks that the rectangle has a width and height and the circle a radius.
    /// - Throws: ``ConfigError`` at `rect` or `circ`.
    public func validate() throws(ConfigError) {
        switch self {
        case .rectangle(_, _, let w, let h):
            guard w > 0, h > 0 else { throw ConfigError(key: "rect", "width and height must be > 0 (got \(w), \(h))") }
        case .circle(_, _, let r):
            guard r > 0 else { throw ConfigError(key: "circ", "the radius must be > 0 (got \(r))") }
        }
    }
}
