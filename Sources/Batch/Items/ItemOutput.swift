import Core
import HDF5

/// What ``Job/produce(item:context:)`` returns.
public struct ItemOutput: Sendable {
    /// One entry per declared output.
    public var values: [String: Column]
    /// One field per metadata column.
    public var metadata: [String]
    /// Files the item adds to the output directory.
    public var files: [ItemFile]

    /// An item's values by output name, its metadata fields in column order and any files it adds.
    public init(values: [String: Column], metadata: [String], files: [ItemFile] = []) {
        self.values = values
        self.metadata = metadata
        self.files = files
    }
}
