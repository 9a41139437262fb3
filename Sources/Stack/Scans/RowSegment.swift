import Batch

/// Consecutive items of a batch that belong to one scan, and the detector rows they need.
struct RowSegment {
    /// The scan's index in the ``ScanSet``.
    let member: Int
    let rows: Range<Int>
    let items: [ItemContext]

    /// Cuts `batch` (consecutive items) into segments, for item numbering
    /// item = (scan · rowsPerScan + row) · itemsPerRow + index within the row.
    static func split(_ batch: [ItemContext], rowsPerScan: Int, itemsPerRow: Int = 1) -> [RowSegment] {
        var segments: [RowSegment] = []
        var current: [ItemContext] = []
        func close() {
            guard let first = current.first, let last = current.last else { return }
            let firstRow = first.item / itemsPerRow, lastRow = last.item / itemsPerRow
            segments.append(RowSegment(member: firstRow / rowsPerScan,
                                       rows: firstRow % rowsPerScan..<lastRow % rowsPerScan + 1, items: current))
            current = []
        }
        for context in batch {
            if let last = current.last,
               context.item != last.item + 1 || context.item / itemsPerRow / rowsPerScan != last.item / itemsPerRow / rowsPerScan {
                close()
            }
            current.append(context)
        }
        close()
        return segments
    }
}
