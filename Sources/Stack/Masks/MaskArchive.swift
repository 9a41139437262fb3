import Batch
import Core
import Formats

/// Stripe masks in NoStripesNet's `.npz` convention: one uint8 array `m<scan>` of shape (angles, rows, columns)
/// per scan (docs/reference/tomography.md §8).
public enum MaskArchive {
    /// The array key of a scan's mask.
    public static func key(scan number: String) -> String { "m" + number }

    /// Rows `wanted` of the mask `key` in `path`, one (angles, columns) plane per wanted row (as
    /// ``StripeMask/compute(angles:columns:totalRows:wanted:settings:sinogram:)`` lays them out). The array is streamed
    /// (a deflated member cannot be entered in the middle), keeping only the wanted rows.
    /// - Throws: ``FormatError`` naming the file and key when it is missing or its shape or type does not fit.
    public static func rows(_ wanted: Range<Int>, key: String, path: String,
                            shape: (angles: Int, rows: Int, columns: Int)) throws -> [UInt8] {
        let X = shape.columns, R = shape.rows
        var result = [UInt8](repeating: 0, count: shape.angles * wanted.count * X)
        try NPZ.read(key: key, from: path, check: { header in
            let expected = [shape.angles, shape.rows, shape.columns]
            guard header.shape == expected else {
                throw FormatError(file: path, message: "mask \(key) has shape \(header.shape) but the scan is "
                                  + "\(expected) (angles, rows, columns)")
            }
            guard ["|u1", "|b1", "|i1"].contains(header.descr), !header.fortranOrder else {
                throw FormatError(file: path, message: "mask \(key) holds '\(header.descr)'"
                                  + (header.fortranOrder ? " in Fortran order" : "") + "; expected C-ordered uint8 or bool")
            }
        }) { offset, piece in
            // Walk the piece line by line (a line is one row of one angle).
            piece.withUnsafeBytes { bytes in
                var position = offset, index = 0
                while index < bytes.count {
                    let line = position / X, i = position % X
                    let n = min(X - i, bytes.count - index)
                    let j = line % R, k = line / R
                    if wanted.contains(j) {
                        let target = ((j - wanted.lowerBound) * shape.angles + k) * X + i
                        for m in 0..<n { result[target + m] = bytes[index + m] == 0 ? 0 : 1 }
                    }
                    position += n
                    index += n
                }
            }
        }
        return result
    }

    /// Writes the masks of `mask.h5` (dataset `/mask/mask`, one (angles, columns) plane per item, items
    /// scan-major) into the archive at `path` as `m<scan>` arrays of shape (angles, rows, columns), created or
    /// extended. Reads blocks of angles, so memory stays at one block of the volume.
    public static func export(from output: JobOutputFile, scans: [String], shape: (angles: Int, rows: Int, columns: Int),
                              to path: String, anglesPerBlock: Int = 64) throws {
        let (A, R, X) = shape
        for (index, number) in scans.enumerated() {
            var block: [UInt8] = []
            var blockStart = -1
            try NPZ.write(key: key(scan: number), header: NPYHeader(descr: "|u1", shape: [A, R, X]), elementSize: 1,
                          to: path) { offset, bytes in
                try bytes.withUnsafeMutableBytes { buffer in
                    var position = offset, filled = 0
                    while filled < buffer.count {
                        let k = position / (R * X)
                        let first = k - k % anglesPerBlock
                        if first != blockStart {
                            let n = min(anglesPerBlock, A - first)
                            // (rows, n, X) from the file, transposed to (n, rows, X).
                            let read = try output.bytes("mask", offset: [index * R, first, 0], count: [R, n, X])
                            block = [UInt8](repeating: 0, count: n * R * X)
                            read.withUnsafeBufferPointer { read in
                                block.withUnsafeMutableBufferPointer { block in
                                    for j in 0..<R {
                                        for a in 0..<n {
                                            (block.baseAddress! + (a * R + j) * X)
                                                .update(from: read.baseAddress! + (j * n + a) * X, count: X)
                                        }
                                    }
                                }
                            }
                            blockStart = first
                        }
                        let within = position - first * R * X
                        let n = min(buffer.count - filled, block.count - within)
                        block.withUnsafeBytes {
                            UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<filled + n])
                                .copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[within..<within + n]))
                        }
                        filled += n
                        position += n
                    }
                }
            }
        }
    }
}
