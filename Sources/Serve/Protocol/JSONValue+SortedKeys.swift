import Formats

extension JSONValue {
    /// The document as Python's `json.loads` then `json.dumps(…, sort_keys=True)` sees it: every object's keys in
    /// code-point order (Python compares `str` by code points), a key given twice holding its last value.
    public var sortingKeys: JSONValue {
        switch self {
        case .array(let elements):
            return .array(elements.map(\.sortingKeys))
        case .object(let members):
            var last: [String: JSONValue] = [:]
            for member in members { last[member.key] = member.value.sortingKeys }
            let keys = last.keys.sorted { Self.codePointsPrecede($0, $1) }
            return .object(keys.map { ($0, last[$0] ?? .null) })
        default:
            return self
        }
    }

    /// Python's `json.dumps(value, sort_keys=True)`: separators `", "` and `": "`, non-ASCII as `\uXXXX`, floats
    /// in Python's `repr` (``pythonDumps`` of ``sortingKeys``).
    public var pythonSortedDumps: String { sortingKeys.pythonDumps }

    /// Whether `a` sorts before `b` by Unicode code points (Python's order of `str`).
    static func codePointsPrecede(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }
}
