import Core
import Formats
import Foundation

/// An HDF5 file as stack and mask open a NeXus scan (`TomoScan`: shape, image keys, angles, then rows of frames
/// read and averaged) and as integrate opens a frame stack (`FrameStack`: a frame read, mapped where stored
/// whole). Reads stay small: the harness asks for at most 4 rows of 2 frames, or one frame of up to 2^20 pixels,
/// as the workloads do after checking sizes against their limits.
enum NeXusFuzzing {
    static let pixelLimit = 1 << 20

    static func run(_ data: Data) {
        let path = ScratchFile.write(data, name: "scan.nxs")
        if let scan = try? TomoScan(path: path) {
            let rows = 0..<min(scan.rows, 4)
            let frames = Array(scan.projectionFrames.prefix(2))
            if rows.count * scan.columns <= pixelLimit {
                var values = [Float](repeating: 0, count: frames.count * rows.count * scan.columns)
                values.withUnsafeMutableBufferPointer { pointer in
                    var span = MutableSpan(_unsafeElements: pointer)
                    try? scan.read(frames: frames, rows: rows, into: &span)
                }
                _ = try? scan.meanFrames(.flat, rows: rows)
            }
        }
        if let stack = try? FrameStack(path: path, dataset: nil), stack.frameCount > 0,
           stack.rows * stack.columns <= pixelLimit {
            if let mapped = stack.mappedFrame(0) {
                var sum = 0
                for i in 0..<stack.rows * stack.columns * stack.pixelType.size { sum &+= Int(mapped.load(fromByteOffset: i, as: UInt8.self)) }
                stack.releaseMapped(0)
                if sum == -1 { print(sum) }
            }
            var bytes = [UInt8](repeating: 0, count: stack.rows * stack.columns * 4)
            bytes.withUnsafeMutableBytes { raw in
                var span = MutableRawSpan(_unsafeBytes: raw)
                _ = try? stack.read(frames: 0..<1, as: .float32, rows: stack.rows, columns: stack.columns, into: &span)
            }
        }
    }
}
