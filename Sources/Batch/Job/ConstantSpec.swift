import Core
import HDF5

/// A dataset written once, not per item: a scalar string, or numbers of a given shape.
public struct ConstantSpec: Sendable {
    /// The path relative to the job's group.
    public var path: String
    /// One string for a scalar text field, numbers otherwise (`shape` elements).
    public var values: Column
    /// The extent; `[]` for a scalar.
    public var shape: [Int]
    /// Attributes set on the dataset.
    public var attributes: [String: AttributeValue]

    /// A constant at `path` holding `values`; `shape` defaults to `[]` for one value, else `[values.count]`.
    public init(_ path: String, _ values: Column, shape: [Int]? = nil, attributes: [String: AttributeValue] = [:]) {
        self.path = path
        self.values = values
        self.shape = shape ?? (values.count == 1 ? [] : [values.count])
        self.attributes = attributes
    }
}
