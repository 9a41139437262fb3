import Core
import Formats
import Foundation

/// Where `.chi` files go, SAXSDog's placements (docs/reference/live-integration.md §1, C8):
/// - `flat`: every file in `OUT/chi/`, named by the frame alone;
/// - `mirror` (default): `OUT/chi/` with the folders of the frames below the deepest folder common to the inputs
///   (a directory given, or a file's folder), so `d1/x.tif` and `d2/x.tif` give `chi/d1/x.chi` and `chi/d2/x.chi`,
///   and `frames/` read recursively gives `chi/sub/y.chi` for `frames/sub/y.tif` (whatever else it holds);
/// - `relpath:R`: beside the images, in `<image folder>/R/` (SAXSDog's `-R`, default `../work`).
public enum ChiLayout: Equatable, Sendable {
    case flat
    case mirror
    case relative(String)

    /// Parses `flat`, `mirror` or `relpath:R` (R a relative folder).
    public init(parsing text: String) throws(ConfigError) {
        switch text {
        case "flat": self = .flat
        case "mirror": self = .mirror
        default:
            guard text.hasPrefix("relpath:") else {
                throw ConfigError(key: "chi_layout", "must be flat, mirror or relpath:DIR (got '\(text)')")
            }
            let folder = String(text.dropFirst("relpath:".count))
            guard !folder.isEmpty, !folder.hasPrefix("/") else {
                throw ConfigError(key: "chi_layout", "relpath:DIR needs a folder relative to the images' "
                                  + "(got '\(text)')")
            }
            self = .relative(folder)
        }
    }

    /// Per frame of `inputs`, the path of its first `.chi` file without the `.chi`: relative to the output
    /// directory (`chi/…`) or, for `relpath`, absolute.
    public func bases(for inputs: FrameInputs) -> [String] {
        let directories = inputs.files.map { FrameInputs.absolute(PathName.parent($0.path)) }
        let folders: [String]
        switch self {
        case .flat:
            folders = directories.map { _ in "chi" }
        case .mirror:
            let root = Self.commonFolder(Array(Set(inputs.inputFolders.map(FrameInputs.absolute))))
            folders = directories.map { directory in
                let below = directory.dropFirst(root.count).split(separator: "/").joined(separator: "/")
                return below.isEmpty ? "chi" : "chi/" + below
            }
        case .relative(let folder):
            folders = directories.map { ($0 + "/" + folder as NSString).standardizingPath }
        }
        return (0..<inputs.count).map { frame in folders[inputs.frames[frame].file] + "/" + inputs.frameName(frame) }
    }

    /// The first two frames of `inputs` whose `.chi` files would share a path (the same name in one folder, or
    /// a file given twice), as (earlier file, later file, path of the shared `.chi`), or nil when all differ.
    public func firstClash(in inputs: FrameInputs) -> (first: String, second: String, path: String)? {
        var seen: [String: Int] = [:]
        for (frame, base) in bases(for: inputs).enumerated() {
            if let earlier = seen[base] {
                return (inputs.file(of: earlier).path, inputs.file(of: frame).path, base + ".chi")
            }
            seen[base] = frame
        }
        return nil
    }

    /// The deepest folder holding all of `folders` (absolute, standardized).
    static func commonFolder(_ folders: [String]) -> String {
        guard var common = folders.first?.split(separator: "/", omittingEmptySubsequences: true) else { return "/" }
        for folder in folders.dropFirst() {
            let parts = folder.split(separator: "/", omittingEmptySubsequences: true)
            var n = 0
            while n < min(common.count, parts.count) && common[n] == parts[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return "/" + common.joined(separator: "/")
    }
}
