import Batch
import Formats

/// `beamforge mask`: Larix stripe masks of real scans (NoStripesNet's `generate_mask.py`), one detector row per
/// item. Each rank reads its rows plus ``StripeMaskSettings/ghostRows`` on each side, so the result equals the
/// whole-volume computation. `mask.h5` holds `/mask/mask` (items = scan-major rows, each an (angles, columns)
/// plane); ``MaskArchive/export(from:scans:shape:to:anglesPerBlock:)`` then writes NoStripesNet's `.npz`.
public struct MaskJob: ScanJob {
    public let name = "mask"
    public let settings: StackSettings
    public let scans: ScanSet
    /// Reads each batch's rows, with the ghost rows the mask needs, for the runner.
    public let source: ScanSource

    /// - Throws: ``ConfigError`` or ``FormatError`` naming the setting, file or dataset at fault.
    public init(settings: StackSettings) throws {
        try settings.validate()
        self.settings = settings
        scans = try ScanSet(settings: settings)
        try settings.mask.validate(angles: scans.projections, rows: scans.rows, columns: scans.columns)
        source = ScanSource(scans: scans, itemsPerRow: 1, ghostRows: settings.mask.ghostRows, storedMasks: nil)
    }

    public var itemCount: Int { scans.members.count * scans.rows }
    public var itemsPerChunk: Int { settings.chunkSize }
    public var ghostRows: Int { settings.mask.ghostRows }

    /// The archive key of each scan's mask, `m<scan>`.
    public var archiveKeys: [String] { scans.members.map { MaskArchive.key(scan: $0.number) } }

    /// Stores the masks of the finished `directory/mask.h5` in the `.npz` at `path` (created or extended).
    public func writeArchive(from directory: String, to path: String) throws {
        let output = try JobOutputFile(directory: directory, job: name)
        defer { try? output.close() }
        try MaskArchive.export(from: output, scans: scans.members.map(\.number),
                               shape: (scans.projections, scans.rows, scans.columns), to: path)
    }

    /// The masks, one detector row's (angle × column) per item.
    public var defaultPlot: DefaultPlot? { DefaultPlot(signal: "mask") }

    public var outputs: [OutputSpec] {
        [OutputSpec("mask", type: .uint8, itemShape: [scans.projections, scans.columns], attributes: [
            "dimensions": .string("angle, column"),
            "description": .string("1 where Larix STRIPES_DETECT + STRIPES_MERGE marks a stripe; items are the "
                                   + "detector rows of each scan in turn"),
        ], chunk: [min(64, scans.projections), scans.columns])]
    }

    public var metadataColumns: [String] { ["item", "scan", "row", "masked_pixels"] }

    public var groupAttributes: [String: AttributeValue] {
        let m = settings.mask
        return [
            "scans": .string(scans.members.map(\.scan.path).joined(separator: ", ")),
            "keys": .string(archiveKeys.joined(separator: ", ")),
            "projections": .int(Int64(scans.projections)),
            "rows": .int(Int64(scans.rows)),
            "columns": .int(Int64(scans.columns)),
            "detect": .string("size \(m.size), radius \(m.radius)"),
            "merge": .string("threshold \(m.threshold), min_length \(m.minLength), min_depth \(m.minDepth), "
                             + "min_width \(m.minWidth), sensitivity \(m.sensitivity)"),
        ]
    }

    /// Per row of a chunk: the slab with ghost rows (uint16 counts or float absorption), the chunk's mask and the
    /// item's copy, and a share of the mask's row-independent workspace.
    public var workingBytesPerItem: Int {
        let chunk = max(1, min(settings.chunkSize, scans.rows))
        let plane = scans.projections * scans.columns
        let slab = scans.members.allSatisfy(\.scan.storesUInt16) ? 2 : 4
        let workspace = StripeMask.workspaceBytes(angles: scans.projections, columns: scans.columns,
                                                  settings: settings.mask)
        return (plane * slab * (chunk + 2 * settings.mask.ghostRows) + workspace) / chunk + 2 * plane
    }

    public func produce(batch: [ItemContext], input: ScanBlock) throws -> [ItemOutput] {
        let (A, R, X) = (scans.projections, scans.rows, scans.columns)
        var outputs: [ItemOutput] = []
        for part in input.parts {
            let segment = part.segment, slab = part.slab
            let member = scans.members[segment.member]
            let mask = StripeMask.compute(angles: A, columns: X, totalRows: R, wanted: segment.rows,
                                          settings: settings.mask, sinogram: { slab.withSinogram(row: $0, $1) })
            for context in batch[segment.positions] {
                let j = context.item % R - segment.rows.lowerBound
                let plane = Array(mask[j * A * X..<(j + 1) * A * X])
                let marked = plane.withUnsafeBufferPointer { p in
                    var sum = 0
                    for value in p { sum &+= Int(value) }
                    return sum
                }
                outputs.append(ItemOutput(values: ["mask": .uint8(plane)],
                                          metadata: [String(context.item), member.number, String(context.item % R),
                                                     String(marked)]))
            }
        }
        return outputs
    }
}
