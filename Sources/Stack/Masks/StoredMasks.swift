import Batch
import Core
import Formats
import Foundation

/// Stripe masks made before a `stack` run (`--mask`): NoStripesNet's `.npz` archive of `m<scan>` arrays (angles,
/// rows, columns), or the `mask.h5` a `beamforge mask` run writes, whose planes (one per detector row) are read by
/// hyperslab: a chunk's rows without inflating the whole deflated array as an archive member needs.
struct StoredMasks: Sendable {
    /// A NoStripesNet `.npz` archive or a `beamforge mask` output.
    enum Kind: Sendable { case archive, maskOutput }

    let path: String
    let kind: Kind
    let angles: Int, rows: Int, columns: Int
    /// In a `mask.h5`: the item holding row 0 of each scan's mask, by archive key.
    let firstItem: [String: Int]

    /// Opens the masks at `path` and checks that they hold every scan of `scans` at its shape.
    /// - Throws: ``FormatError`` naming the file and the missing or misshapen mask.
    init(path: String, scans: ScanSet) throws {
        self.path = path
        (angles, rows, columns) = (scans.projections, scans.rows, scans.columns)
        let expected = [angles, rows, columns]
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FormatError(file: path, message: "no such mask file (or not readable)")
        }
        let keys = scans.members.map { (key: MaskArchive.key(scan: $0.number), scan: $0.scan.path) }
        /// The error for a key the file lacks.
        func missing(_ key: (key: String, scan: String), among present: [String]) -> FormatError {
            FormatError(file: path, message: "no mask '\(key.key)' for \(key.scan); it holds "
                        + (present.isEmpty ? "no masks" : present.sorted().joined(separator: ", ")))
        }
        if Self.isHDF5(path) {
            kind = .maskOutput
            let output = try JobOutputFile(path: path, job: "mask")
            defer { try? output.close() }
            guard case .string(let list)? = try output.attribute("keys"),
                  case .int(let perScan)? = try output.attribute("rows") else {
                throw FormatError(file: path, message: "not the mask.h5 of a beamforge mask run (no /mask keys "
                                  + "and rows attributes)")
            }
            let stored = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var firstItem: [String: Int] = [:]
            for (index, key) in stored.enumerated() { firstItem[key] = index * Int(perScan) }
            let shape = try output.shape("mask")
            for key in keys {
                guard firstItem[key.key] != nil else { throw missing(key, among: stored) }
                guard Int(perScan) == rows, shape == [stored.count * rows, angles, columns] else {
                    throw FormatError(file: path, message: "mask \(key.key) has \(perScan) planes of "
                                      + "\(shape.dropFirst().map(String.init).joined(separator: "×")) but the scan is "
                                      + "\(expected) (angles, rows, columns)")
                }
            }
            self.firstItem = firstItem
        } else {
            kind = .archive
            firstItem = [:]
            let members = try NPZ.members(of: path)
            for key in keys {
                guard let header = members[key.key] else { throw missing(key, among: Array(members.keys)) }
                guard header.shape == expected else {
                    throw FormatError(file: path, message: "mask \(key.key) has shape \(header.shape) but the scan "
                                      + "is \(expected) (angles, rows, columns)")
                }
            }
        }
    }

    /// Rows `wanted` of scan `number`'s mask, one (angles, columns) plane per row, 1 where a stripe is marked.
    func rows(_ wanted: Range<Int>, scan number: String) throws -> [UInt8] {
        let key = MaskArchive.key(scan: number)
        switch kind {
        case .archive:
            return try MaskArchive.rows(wanted, key: key, path: path, shape: (angles, rows, columns))
        case .maskOutput:
            let output = try JobOutputFile(path: path, job: "mask")
            defer { try? output.close() }
            return try output.bytes("mask", offset: [firstItem[key]! + wanted.lowerBound, 0, 0],
                                    count: [wanted.count, angles, columns])
        }
    }

    /// Whether the file at `path` starts with HDF5's signature.
    static func isHDF5(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        return (try? handle.read(upToCount: 8)).map { [UInt8]($0) == signature } ?? false
    }
}
