import Core
import HDF5

/// An error of one item of a batch.
public struct ItemFailure: Error, CustomStringConvertible {
    /// The index of the failed item in the job's item space (not its position in the batch).
    public var item: Int
    /// The error the item's production or input threw.
    public var underlying: any Error

    /// A failure of item `item` caused by `underlying`.
    public init(item: Int, underlying: any Error) {
        self.item = item
        self.underlying = underlying
    }

    /// The underlying error's description (the runner adds the item and rank).
    public var description: String { "\(underlying)" }
}
