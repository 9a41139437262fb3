import Batch

/// The input side of `stack` and `mask`: for each run of a batch's rows in one scan, the rows of every projection
/// (with the ghost rows a stripe mask needs) as a ``ScanSlab``, and the rows of a stored mask where the job has one.
/// The slabs' memory is kept in the block from batch to batch (a chunk's slab is hundreds of MB, and fresh pages
/// cost a fault each).
public struct ScanSource: BlockSource {
    let scans: ScanSet
    let itemsPerRow: Int
    let ghostRows: Int
    /// The masks of a `--mask` file, read row by row with the slabs.
    let storedMasks: StoredMasks?

    public func makeBlock() -> ScanBlock { ScanBlock() }

    public func read(items: [Int], into block: inout ScanBlock) throws {
        let segments = RowSegment.split(items, rowsPerScan: scans.rows, itemsPerRow: itemsPerRow)
        var parts: [ScanBlock.Part] = []
        for (n, segment) in segments.enumerated() {
            let member = scans.members[segment.member]
            var storage = block.takeStorage(n)
            let held = max(0, segment.rows.lowerBound - ghostRows)..<min(scans.rows, segment.rows.upperBound + ghostRows)
            let slab = try ScanSlab(member, rows: held, storage: &storage)
            let mask = try storedMasks?.rows(segment.rows, scan: member.number)
            parts.append(ScanBlock.Part(segment: segment, slab: slab, storedMask: mask))
        }
        block.parts = parts
    }
}

/// A batch's rows as ``ScanSource`` read them: one part per run of rows in one scan.
public struct ScanBlock: Sendable {
    struct Part: Sendable {
        let segment: RowSegment
        var slab: ScanSlab
        /// The segment's rows of a stored mask ((angle, column) planes in row order), or nil.
        let storedMask: [UInt8]?
    }

    var parts: [Part] = []

    public init() {}

    /// The memory of part `n`'s slab, taken out for the next read of that part (empty if there is none).
    mutating func takeStorage(_ n: Int) -> ScanSlab.Storage {
        guard n < parts.count else { return ([], []) }
        var storage: ScanSlab.Storage = ([], [])
        swap(&storage.values, &parts[n].slab.values)
        swap(&storage.counts, &parts[n].slab.counts)
        return storage
    }
}
