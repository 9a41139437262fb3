import Core
import HDF5

/// What a job may know about the run while producing an item.
public struct ItemContext: Sendable {
    /// The run's seed.
    public let seed: UInt64
    /// The item's index.
    public let item: Int
    /// The dataset timestamp (ISO 8601, UTC) for metadata.
    public let timestamp: String

    /// A context as the runner makes it; jobs' tests use it to produce single items.
    public init(seed: UInt64, item: Int, timestamp: String) {
        self.seed = seed
        self.item = item
        self.timestamp = timestamp
    }

    /// The item's random stream number `stream` (use one per independent purpose).
    public func random(stream: UInt32) -> RandomStream {
        RandomStream(seed: seed, item: item, stream: stream)
    }
}
