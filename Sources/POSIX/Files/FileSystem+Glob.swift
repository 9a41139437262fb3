import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// The paths matching the shell pattern `pattern` (`glob(3)`: `*`, `?`, `[…]` per path component), in the
    /// C library's order (sorted bytewise); none when nothing matches.
    public static func glob(_ pattern: String) -> [String] {
        var found = glob_t()
        defer { globfree(&found) }
        guard Glibc.glob(pattern, 0, nil, &found) == 0 else { return [] }
        return (0..<Int(found.gl_pathc)).compactMap { i in found.gl_pathv[i].map { String(cString: $0) } }
    }
}
