/// Levenshtein distance between short names, for "did you mean" hints on mistyped keys and options.
///
/// Hand-written: none of the packages the project uses exposes one (swift-argument-parser keeps its own internal),
/// and a dozen lines of the textbook two-row dynamic programme are all it takes.
public enum EditDistance {
    /// The number of single-character insertions, deletions and substitutions that turn `a` into `b`.
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidate nearest to `name`, if it is near enough to be a typo: at most 2 edits, and at most a third of
    /// the longer name (so that `n` does not suggest `seed`), and fewer than the longer name's length (so that `x`
    /// does not suggest `n`). Ties go to the first candidate in order.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let distance = between(name, candidate)
            let limit = min(2, max(1, max(name.count, candidate.count) / 3))
            guard distance <= limit, distance < max(name.count, candidate.count) else { continue }
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }
}
