/// The input side of a job: what a batch of items reads from files (detector frames, rows of a scan), read by the
/// runner into a reusable block before the batch is produced, so that producing does no I/O.
///
/// The runner reads batch r + 2 on its reader thread while batch r + 1 is computed and batch r written. Blocks are
/// the one buffer-reuse mechanism: the runner keeps two and hands each back for the next read, so their buffers
/// keep their memory from batch to batch.
///
/// ```swift
/// struct LinesSource: BlockSource {
///     let lines: [String]
///     func makeBlock() -> [String] { [] }
///     func read(items: [Int], into block: inout [String]) throws {
///         block.removeAll(keepingCapacity: true)
///         block += items.map { lines[$0] }
///     }
/// }
/// ```
public protocol BlockSource: Sendable {
    /// What one batch's inputs are read into.
    associatedtype Block: Sendable
    /// An empty block; its buffers grow to what the largest batch needs.
    func makeBlock() -> Block
    /// Reads the inputs of `items` (one batch, ascending) into `block`, replacing what it held.
    /// - Throws: ``ItemFailure`` to name the item whose input is at fault; any other error fails the batch.
    func read(items: [Int], into block: inout Block) throws
}
