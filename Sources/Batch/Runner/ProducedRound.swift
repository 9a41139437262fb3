/// A rank's batches of one write round as produced on the compute thread, packed for the collective writes.
struct ProducedRound: Sendable {
    /// The items, ascending (batches are handed out in increasing order).
    var items: [Int]
    /// Their values, one buffer per output.
    var buffers: BatchBuffers
    /// Per statistic computed by item: each item's packed summary, in item order.
    var summaries: [[Double]]
    /// Their metadata rows.
    var rows: [[String]]

    /// An empty round for `job`'s outputs.
    init<J: Job>(_ job: J) {
        items = []
        buffers = BatchBuffers(specs: job.outputs)
        summaries = Array(repeating: [], count: job.statistics.filter(\.byItem).count)
        rows = []
    }

    /// Empties the round but keeps its memory for the next (a round's buffers can be tens of MB, and fresh pages
    /// cost a fault each).
    mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
        buffers.removeAll()
        for index in summaries.indices { summaries[index].removeAll(keepingCapacity: true) }
        rows.removeAll(keepingCapacity: true)
    }
}
