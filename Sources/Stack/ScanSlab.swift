import Batch
import Formats

/// A run of detector rows of one scan, read as absorption: (projections, rows, columns) float32, the layout of
/// the file and of Larix's volumes.
struct ScanSlab {
    let rows: Range<Int>
    let angles: Int
    let columns: Int
    var values: [Float]

    /// uint16 frames are read through a buffer of about this many bytes.
    static let scratchBytes = 32 << 20

    /// Reads rows `rows` of every projection of `member` and converts them to −ln(transmission) with the mean
    /// flat and dark of the same rows.
    init(_ member: ScanSet.Member, rows: Range<Int>) throws {
        let scan = member.scan
        self.rows = rows
        angles = scan.projectionFrames.count
        columns = scan.columns
        let plane = rows.count * columns
        var values = [Float](repeating: 0, count: angles * plane)
        var scratch = [UInt16](repeating: 0, count: max(plane, min(angles * plane, Self.scratchBytes / 2)))
        try values.withUnsafeMutableBufferPointer { v in
            try scratch.withUnsafeMutableBufferPointer { s in
                try scan.read(frames: scan.projectionFrames, rows: rows, into: v, scratch: s)
            }
            Absorption.apply(to: v, flat: try member.flats.meanFrames(.flat, rows: rows),
                             dark: try member.flats.meanFrames(.dark, rows: rows))
        }
        self.values = values
    }

    /// The sinogram of global row `row` over angles `angleRange` (angles × columns), contiguous.
    func sinogram(row: Int, angles angleRange: Range<Int>? = nil) -> [Float] {
        let range = angleRange ?? 0..<angles
        let j = row - rows.lowerBound
        var result = [Float](repeating: 0, count: range.count * columns)
        values.withUnsafeBufferPointer { v in
            result.withUnsafeMutableBufferPointer { r in
                for (n, k) in range.enumerated() {
                    let source = (k * rows.count + j) * columns
                    for i in 0..<columns { r[n * columns + i] = v[source + i] }
                }
            }
        }
        return result
    }
}

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
