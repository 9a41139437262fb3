import Core
import HDF5

/// A subgroup of the job's group: its path relative to the group (`sasdata01`) and attributes.
public struct GroupSpec: Sendable {
    public var path: String
    public var attributes: [String: AttributeValue]

    public init(_ path: String, attributes: [String: AttributeValue] = [:]) {
        self.path = path
        self.attributes = attributes
    }
}
