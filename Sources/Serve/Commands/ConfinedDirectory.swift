import Foundation
import Formats

/// SAXSDog's `listdir`, confined to the server's base directory: the path components may not climb out (`..`,
/// an absolute path, a symbolic link that leads outside), which SAXSDog allowed.
public enum ConfinedDirectory {
    /// The folder BASEDIR/`components` after resolving symbolic links, or nil when it lies outside `base`.
    public static func resolve(base: String, components: [String]) -> String? {
        if components.contains(where: { $0 == ".." || $0.hasPrefix("/") || $0.split(separator: "/").contains("..") }) {
            return nil
        }
        let root = realPath(base)
        let joined = ([root] + components.filter { !$0.isEmpty && $0 != "." }).joined(separator: "/")
        let resolved = realPath(joined)
        return resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") ? resolved : nil
    }

    /// `path` absolute, standardized, with every symbolic link resolved.
    public static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// SAXSDog's listdir reply: the sub-directories (`isdir` true; SAXSDog lists folders only), sorted, and the
    /// directory as path components; an `OSError` reply for a folder outside BASEDIR or one that cannot be read.
    public static func listing(base: String, components: [String]) -> JSONValue {
        let shown = ([base] + components).joined(separator: "/")
        guard let folder = resolve(base: base, components: components) else {
            return SAXSDogReply.error("OSError", "\(JSONValue.array(components.map { .string($0) }).pythonDumps) "
                                      + "leaves the server's base directory")
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return SAXSDogReply.error("OSError", "cannot list \(shown)")
        }
        var content: [JSONValue] = []
        for name in names.sorted() {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue {
                content.append(.object([("isdir", .bool(true)), ("path", .string(name))]))
            }
        }
        let directory = shown.split(separator: "/", omittingEmptySubsequences: false).map { JSONValue.string(String($0)) }
        return SAXSDogReply.make("listdir", .object([("dircontent", .array(content)), ("directory", .array(directory))]))
    }
}
