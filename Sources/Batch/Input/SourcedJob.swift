/// A job whose items need inputs from files: the runner reads each batch through ``source`` and then calls
/// ``produce(batch:input:)`` with the block, so that producing stays pure computation.
public protocol SourcedJob: Job {
    associatedtype Source: BlockSource
    /// Where the items' inputs come from.
    var source: Source { get }
    /// Computes the items of one batch from their inputs, read by ``source`` into `input` for exactly these items.
    /// - Throws: ``ItemFailure`` to name the item at fault; any other error is reported for the whole batch.
    func produce(batch: [ItemContext], input: Source.Block) throws -> [ItemOutput]
}

extension SourcedJob {
    /// Reads and computes a batch in one call (outside the runner: tests, single items).
    public func produce(batch: [ItemContext]) throws -> [ItemOutput] {
        var block = source.makeBlock()
        try source.read(items: batch.map(\.item), into: &block)
        return try produce(batch: batch, input: block)
    }

    /// Reads and computes one item as a batch of one (for ``Job``; the runner reads and produces whole batches).
    public func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        try produce(batch: [context])[0]
    }
}
