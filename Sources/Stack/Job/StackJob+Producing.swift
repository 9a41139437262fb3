import Batch
import Core
import Formats
import Foundation
import LibTIFF
import Sinograms

/// Producing items from the rows ``ScanSource`` read, one segment of rows at a time, and the TIFF tree once each
/// scan's range is known. What each mode
/// makes of a row is in Modes/ (``rawItem(row:rows:)``, ``dynamicItem(row:context:rows:)``,
/// ``pairedItem(row:context:rows:)``, ``patchItem(row:shift:context:rows:)``).
extension StackJob {
    public func produce(batch: [ItemContext], input: ScanBlock) throws -> [ItemOutput] {
        var outputs: [ItemOutput] = []
        for part in input.parts { outputs += produce(part, contexts: batch[part.segment.positions]) }
        return outputs
    }

    private func produce(_ part: ScanBlock.Part, contexts: ArraySlice<ItemContext>) -> [ItemOutput] {
        let segment = part.segment, slab = part.slab
        let member = scans.members[segment.member]
        let (A, R, X) = (scans.projections, scans.rows, scans.columns)
        var mask: [UInt8] = []
        if settings.needsMask {
            mask = part.storedMask ?? StripeMask.compute(angles: A, columns: X, totalRows: R, wanted: segment.rows,
                                                         settings: settings.mask,
                                                         sinogram: { slab.withSinogram(row: $0, $1) })
        }
        let resize = settings.downsample
            ? SinogramResize(from: (settings.mode == .dynamic ? settings.frameAngles : A, X),
                             to: settings.outputShape) : nil
        var rows = SegmentRows(slab: slab, rows: segment.rows, angles: A, columns: X, mask: mask, resize: resize,
                               scratch: [Float](repeating: 0, count: settings.outputShape.angles * X))
        return contexts.map { context in
            let row = context.item / itemsPerRow % R
            let shift = context.item / itemsPerRow / R
            let item = switch settings.mode {
            case .raw: rawItem(row: row, rows: &rows)
            case .dynamic: dynamicItem(row: row, context: context, rows: &rows)
            case .paired: pairedItem(row: row, context: context, rows: &rows)
            case .patch: patchItem(row: row, shift: shift, context: context, rows: rows)
            }
            let fields = [String(context.item), member.number, String(shift), String(row), item.frame,
                          item.realArtifact] + Self.format(item.range)
            return ItemOutput(values: item.values, metadata: fields, files: item.files)
        }
    }

    /// The smallest and largest value (NaN skipped; +∞ and −∞ when there is none, as an empty summary).
    static func range(_ values: [Float]) -> (low: Double, high: Double) {
        var (low, high) = (Float.infinity, -Float.infinity)
        values.withUnsafeBufferPointer {
            for x in $0 {
                low = x < low ? x : low
                high = x > high ? x : high
            }
        }
        return (Double(low), Double(high))
    }

    /// The metadata fields of a range: 9 significant digits, which give back every float32.
    static func format(_ range: (low: Double, high: Double)) -> [String] {
        [String(format: "%.9g", range.low), String(format: "%.9g", range.high)]
    }

    /// A uint16 TIFF of `image` scaled from [low, high] to 0-65535.
    static func tiff(_ path: String, _ image: [Float], rows: Int, columns: Int, low: Double, high: Double) -> ItemFile {
        ItemFile(path: path) { target in
            let span = high - low
            var pixels = [UInt16](repeating: 0, count: image.count)
            image.withUnsafeBufferPointer { values in
                pixels.withUnsafeMutableBufferPointer {
                    for i in values.indices { $0[i] = GreyLevels.uint16(span > 0 ? (Double(values[i]) - low) / span : 0) }
                }
            }
            try TIFF.write(pixels, rows: rows, columns: columns, to: target)
        }
    }

    // MARK: TIFF tree

    public var finishingOutputs: [String] {
        switch settings.mode {
        case .raw, .dynamic: ["sinogram"]
        case .paired: ["clean", "stripe", "real_artifact"]
        case .patch: []
        }
    }

    public func finish(item: Int, values: [String: Column],
                       statistics: [String: [RunningStatistics]]) throws -> [ItemFile] {
        let group = item / (scans.rows * itemsPerRow)
        guard let summary = statistics[scaledOutput]?[group] else { return [] }
        let sample = String(format: "%04d", settings.sample)
        let row = item / itemsPerRow % scans.rows
        let finished = FinishedItem(item: item, values: values, low: summary.minimum, high: summary.maximum, row: row,
                                    group: group, sample: sample,
                                    name: String(format: "%@_shift%02d_%04d.tif", sample, group, row),
                                    shape: (sinogramShape[0], sinogramShape[1]))
        return switch settings.mode {
        case .raw: rawTIFFs(finished)
        case .dynamic: dynamicTIFFs(finished)
        case .paired: pairedTIFFs(finished)
        case .patch: []
        }
    }
}

/// The rows of one segment as the modes read them: each row's sinogram (resized when downsampling) and its stripe
/// mask.
struct SegmentRows {
    let slab: ScanSlab
    /// The segment's rows; `mask` holds their (angle, column) planes in this order.
    let rows: Range<Int>
    /// The scan's projections and columns.
    let angles: Int
    let columns: Int
    let mask: [UInt8]
    let resize: SinogramResize?
    /// The resize's workspace, reused from row to row.
    var scratch: [Float]

    /// Row `row` over angles `angles` (all of them by default), resized when downsampling.
    mutating func sinogram(_ row: Int, angles: Range<Int>? = nil) -> [Float] {
        let angles = angles ?? 0..<self.angles
        guard let resize else { return slab.sinogram(row: row, angles: angles) }
        let slab = slab
        var out = [Float](repeating: 0, count: resize.outputCount)
        var o = out.mutableSpan, s = scratch.mutableSpan
        slab.withSinogram(row: row, firstAngle: angles.lowerBound) { line in
            resize.apply(lines: line, into: &o, scratch: &s)
        }
        return out
    }

    /// Whether the mask marks any pixel of `row` within angles × columns.
    func masked(_ row: Int, angles: Range<Int>, columns: Range<Int>) -> Bool {
        let j = row - rows.lowerBound
        for k in angles {
            let line = (j * self.angles + k) * self.columns
            for i in columns where mask[line + i] != 0 { return true }
        }
        return false
    }
}

/// One item as a mode makes it: its datasets' values and files, and the metadata fields that depend on the mode.
struct StackItem {
    var values: [String: Column]
    var files: [ItemFile] = []
    /// The `frame` column (dynamic mode).
    var frame = ""
    /// The `real_artifact` column: 1 where the mask marks the row (paired), the patches it marks (patch).
    var realArtifact = "0"
    /// The `min` and `max` columns.
    var range: (low: Double, high: Double)
}

/// A finished item, for its mode to name and write its TIFF files.
struct FinishedItem {
    let item: Int
    let values: [String: Column]
    /// The range of the scan's scaled dataset, which maps to 0-65535.
    let low: Double
    let high: Double
    let row: Int
    /// The scan (shift) the item belongs to.
    let group: Int
    /// `ssss`, the sample number.
    let sample: String
    /// `ssss_shiftGG_rrrr.tif`.
    let name: String
    /// The (angles, columns) of the item's sinograms.
    let shape: (rows: Int, columns: Int)

    /// The float32 values of dataset `key` (empty if it has none).
    func floats(_ key: String) -> [Float] {
        if case .float32(let v)? = values[key] { return v }
        return []
    }

    /// A TIFF at `path` of dataset `key`, scaled by the scan's range.
    func tiff(_ path: String, _ key: String) -> ItemFile {
        StackJob.tiff(path, floats(key), rows: shape.rows, columns: shape.columns, low: low, high: high)
    }
}
