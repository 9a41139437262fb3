import Synchronization

/// A rank's slab memory, kept from chunk to chunk: a chunk's slab is hundreds of MB, and fresh pages cost a fault
/// each (a tenth of `stack`'s time before).
final class SlabStorage: Sendable {
    private let buffers = Mutex<ScanSlab.Storage>(([], []))

    /// Reads rows `rows` of `member` as a ``ScanSlab`` in the kept memory and runs `body` on it.
    func withSlab<Result>(_ member: ScanSet.Member, rows: Range<Int>,
                          _ body: (ScanSlab) throws -> Result) throws -> Result {
        try buffers.withLock { buffers in
            let slab = try ScanSlab(member, rows: rows, storage: &buffers)
            defer { (buffers.values, buffers.counts) = (slab.values, slab.counts) }
            return try body(slab)
        }
    }
}
