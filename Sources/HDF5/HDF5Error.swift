/// A failed HDF5 call, with HDF5's own explanation.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// The HDF5 function that failed, e.g. `H5Dcreate2`.
    public let function: String
    /// What beamforge was doing, naming the file and object, e.g. `creating dataset /saxs/I in out.h5`.
    public let context: String
    /// The messages of HDF5's error stack, innermost last.
    public let stack: [String]

    public var description: String {
        let detail = stack.isEmpty ? "" : ": " + stack.joined(separator: "; ")
        return "\(context) failed (\(function))\(detail)"
    }
}
