import Batch

/// A job over the detector rows of a ``ScanSet``, run one chunk of `chunk_size` rows per batch.
public protocol ScanJob: Job {
    var scans: ScanSet { get }
    /// Items in one chunk of rows (dynamic mode: the rows' frames): the runner's batch.
    var itemsPerChunk: Int { get }
    /// Rows read beyond a chunk's own on each side (a stripe mask's ghost rows); 0 when none.
    var ghostRows: Int { get }
}

extension ScanJob {
    /// The rows a chunk of rows `rows` reads: its own and the ghost rows, within the scan.
    func heldRows(_ rows: Range<Int>) -> Range<Int> {
        max(0, rows.lowerBound - ghostRows)..<min(scans.rows, rows.upperBound + ghostRows)
    }
}
