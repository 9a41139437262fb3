/// Consecutive items of a batch that belong to one scan, and the detector rows they need.
struct RowSegment: Sendable {
    /// The scan's index in the ``ScanSet``.
    let member: Int
    let rows: Range<Int>
    /// The segment's positions in the batch.
    let positions: Range<Int>

    /// Cuts `batch` (item numbers, ascending) into segments of consecutive items of one scan, for item numbering
    /// item = (scan · rowsPerScan + row) · itemsPerRow + index within the row.
    static func split(_ batch: [Int], rowsPerScan: Int, itemsPerRow: Int = 1) -> [RowSegment] {
        var segments: [RowSegment] = []
        var first = 0
        func close(_ end: Int) {
            guard first < end else { return }
            let firstRow = batch[first] / itemsPerRow, lastRow = batch[end - 1] / itemsPerRow
            segments.append(RowSegment(member: firstRow / rowsPerScan,
                                       rows: firstRow % rowsPerScan..<lastRow % rowsPerScan + 1, positions: first..<end))
            first = end
        }
        for (position, item) in batch.enumerated() where position > first {
            let last = batch[position - 1]
            if item != last + 1 || item / itemsPerRow / rowsPerScan != last / itemsPerRow / rowsPerScan { close(position) }
        }
        close(batch.count)
        return segments
    }
}
