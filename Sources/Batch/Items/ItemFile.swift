import Core
import HDF5

/// A file an item adds to the output directory (a per-curve text file, a detector frame). The job says how to
/// write it; the runner decides where and when, writes it under a temporary name and renames it into place, so a
/// file with its final name is always complete.
public struct ItemFile: Sendable {
    /// The path relative to the output directory, e.g. `saxs/<uid>.dat`, or an absolute path (a file placed
    /// beside its input, as SAXSDog's `.chi` files can be).
    public var path: String
    /// Writes the file's content to the absolute path it is given.
    public var write: @Sendable (String) throws -> Void

    /// A file at `path` (relative to the output directory, or absolute) whose content `write` writes.
    public init(path: String, write: @escaping @Sendable (String) throws -> Void) {
        self.path = path
        self.write = write
    }
}
