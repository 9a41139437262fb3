import Batch
import Formats
import Synchronization

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
    /// flat and dark of the same rows, into `storage` (taken over; give it back with ``values``) through
    /// `scratch` (grown as needed).
    init(_ member: ScanSet.Member, rows: Range<Int>, storage: inout [Float], scratch: inout [UInt16]) throws {
        let scan = member.scan
        self.rows = rows
        angles = scan.projectionFrames.count
        columns = scan.columns
        let plane = rows.count * columns
        var values: [Float] = []
        swap(&values, &storage)
        if values.count != angles * plane {
            // Every value is read below; zeros only where the kept memory does not reach.
            values.removeAll(keepingCapacity: true)
            values.append(contentsOf: repeatElement(0, count: angles * plane))
        }
        let scratchCount = max(plane, min(angles * plane, Self.scratchBytes / 2))
        if scan.needsScratch && scratch.count < scratchCount { scratch = [UInt16](repeating: 0, count: scratchCount) }
        let absorption = Absorption(flat: try member.flats.meanFrames(.flat, rows: rows),
                                    dark: try member.flats.meanFrames(.dark, rows: rows))
        try values.withUnsafeMutableBufferPointer { v in
            try scratch.withUnsafeMutableBufferPointer { s in
                // uint16 frames become absorption as they are widened; others are converted in place.
                try scan.read(frames: scan.projectionFrames, rows: rows, into: v, scratch: s,
                              widen: absorption.apply)
            }
            if !scan.storesUInt16 { absorption.apply(to: v) }
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

/// A rank's slab memory, kept from chunk to chunk: a chunk's slab is hundreds of MB, and fresh pages cost a fault
/// each (a tenth of `stack`'s time before).
final class SlabStorage: Sendable {
    private let buffers = Mutex<(values: [Float], scratch: [UInt16])>(([], []))

    /// Reads rows `rows` of `member` as a ``ScanSlab`` in the kept memory and runs `body` on it.
    func withSlab<Result>(_ member: ScanSet.Member, rows: Range<Int>,
                          _ body: (ScanSlab) throws -> Result) throws -> Result {
        try buffers.withLock { buffers in
            let slab = try ScanSlab(member, rows: rows, storage: &buffers.values, scratch: &buffers.scratch)
            defer { buffers.values = slab.values }
            return try body(slab)
        }
    }
}
