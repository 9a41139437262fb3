/// A second name for one of the job's datasets, anywhere in the file (an HDF5 hard link made when the output is
/// created): the layouts other programs expect (`/entry_1/data_1/data` of a CXI file) without a copy.
public struct LinkSpec: Sendable {
    /// The absolute path of the new name, e.g. `/entry_1/data_1/data`.
    public var path: String
    /// The linked dataset's path relative to the job's group, e.g. `data`.
    public var target: String

    /// A link at the absolute `path` to the job's dataset `target`.
    public init(_ path: String, to target: String) {
        self.path = path
        self.target = target
    }
}
