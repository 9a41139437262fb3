/// Path arithmetic on strings, by hand: swift-corelibs-foundation's `NSString.deletingLastPathComponent` traps on
/// a one-character name such as `o` or `x/` (swift 6.3.1), which users type as `--out o`.
public enum PathName {
    /// The path without its last component, as `deletingLastPathComponent` means it: `a/b` → `a`, `b` → ``,
    /// `/b` → `/`, `a/b/` → `a`, `/` → `/`.
    public static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        var parent = trimmed[..<slash]
        while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
        return String(parent)
    }
}
