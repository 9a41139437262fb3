import Core
import HDF5

/// An error of one item of a batch.
public struct ItemFailure: Error, CustomStringConvertible {
    public var item: Int
    public var underlying: any Error

    public init(item: Int, underlying: any Error) {
        self.item = item
        self.underlying = underlying
    }

    public var description: String { "\(underlying)" }
}
