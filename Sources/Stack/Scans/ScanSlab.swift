import Formats
import Sinograms

/// A run of detector rows of one scan as absorption. uint16 scans keep their counts, laid out (rows, projections,
/// columns) so that each sinogram is contiguous, and turn them into absorption one sinogram line at a time as the
/// line is used (by the resize or the stripe mask). Other types are converted whole, laid out (projections, rows,
/// columns) like the file.
struct ScanSlab: Sendable {
    let rows: Range<Int>
    let angles: Int
    let columns: Int
    /// The absorption of every pixel (projections, rows, columns), for scans not stored as uint16; else empty.
    var values: [Float]
    /// The counts of every pixel (rows, projections, columns), for uint16 scans; else empty.
    var counts: [UInt16]
    let absorption: Absorption

    /// The memory a rank keeps from chunk to chunk.
    typealias Storage = (values: [Float], counts: [UInt16])

    /// Reads rows `rows` of every projection of `member` with the mean flat and dark of the same rows, as counts
    /// or (not uint16) as absorption, into the memory of `storage` (taken over; given back by
    /// ``ScanBlock/takeStorage(_:)`` for the next batch).
    init(_ member: ScanSet.Member, rows: Range<Int>, storage: inout Storage) throws {
        let scan = member.scan
        self.rows = rows
        angles = scan.projectionFrames.count
        columns = scan.columns
        let plane = rows.count * columns
        absorption = Absorption(flat: try member.flats.meanFrames(.flat, rows: rows),
                                dark: try member.flats.meanFrames(.dark, rows: rows))
        (values, counts) = ([], [])
        swap(&values, &storage.values)
        swap(&counts, &storage.counts)
        /// Resizes `buffer` to `count` elements, keeping its memory (every element is then read into).
        func fit<T: Numeric>(_ buffer: inout [T], _ count: Int) {
            if buffer.count != count {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: repeatElement(0, count: count))
            }
        }
        if scan.storesUInt16 {
            values.removeAll(keepingCapacity: true)
            fit(&counts, angles * plane)
            var c = counts.mutableSpan
            try scan.readSinograms(frames: scan.projectionFrames, rows: rows, into: &c)
        } else {
            counts.removeAll(keepingCapacity: true)
            fit(&values, angles * plane)
            let absorption = absorption  // a copy: `v` holds self exclusively
            var v = values.mutableSpan
            try scan.read(frames: scan.projectionFrames, rows: rows, into: &v)
            absorption.apply(to: &v)
        }
    }

    /// Runs `body` with the absorption of global row `row`: `line(k) { columns in … }` gives the columns of angle
    /// `firstAngle + k` (computed from the counts into a buffer, or in place in the slab).
    func withSinogram<Result>(row: Int, firstAngle: Int = 0, _ body: (_ line: StripeMask.Line) -> Result) -> Result {
        let j = row - rows.lowerBound
        precondition(rows.contains(row), "row \(row) outside the slab's \(rows)")
        if counts.isEmpty {
            let stride = rows.count * columns
            return body { k, use in
                let start = (firstAngle + k) * stride + j * columns
                use(values.span.extracting(start..<start + columns))
            }
        }
        var line = [Float](repeating: 0, count: columns)
        return body { k, use in
            let start = (j * angles + firstAngle + k) * columns
            var out = line.mutableSpan
            absorption.apply(counts.span.extracting(start..<start + columns), at: j * columns, into: &out)
            use(line.span)
        }
    }

    /// The sinogram of global row `row` over angles `angleRange` (angles × columns), contiguous.
    func sinogram(row: Int, angles angleRange: Range<Int>? = nil) -> [Float] {
        let range = angleRange ?? 0..<angles
        var result = [Float](repeating: 0, count: range.count * columns)
        withSinogram(row: row) { line in
            result.withUnsafeMutableBufferPointer { r in
                for (n, k) in range.enumerated() {
                    line(k) { values in
                        values.withUnsafeBufferPointer { v in
                            (r.baseAddress! + n * columns).update(from: v.baseAddress!, count: columns)
                        }
                    }
                }
            }
        }
        return result
    }
}
