import Core
import HDF5

/// What ``Job/produce(item:context:)`` returns.
public struct ItemOutput: Sendable {
    /// One entry per declared output.
    public var values: [String: Values]
    /// One field per metadata column.
    public var metadata: [String]
    /// Files the item adds to the output directory.
    public var files: [ItemFile]

    public init(values: [String: Values], metadata: [String], files: [ItemFile] = []) {
        self.values = values
        self.metadata = metadata
        self.files = files
    }
}
