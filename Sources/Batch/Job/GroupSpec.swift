import Core
import HDF5

/// A subgroup of the job's group: its path relative to the group (`sasdata01`) and attributes; a path that starts
/// with `/` is a group outside the job's group (`/entry_1` of a CXI file).
public struct GroupSpec: Sendable {
    /// The path relative to the job's group, e.g. `sasdata01`.
    public var path: String
    /// Attributes set on the subgroup when it is created.
    public var attributes: [String: AttributeValue]

    /// A subgroup at `path` with `attributes`.
    public init(_ path: String, attributes: [String: AttributeValue] = [:]) {
        self.path = path
        self.attributes = attributes
    }
}
