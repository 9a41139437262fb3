import Batch
import Core
import Formats

/// The input side of `ptycho-ingest`: the raw frames of a batch of scan positions, as float32 counts (exact up to
/// 2²⁴ counts). A position's consecutive frames in one file are one read (a hyperslab of an HDF5 stack).
public struct PositionSource: BlockSource {
    let scan: ScanInputs
    let framesPerPosition: Int

    public func makeBlock() -> PositionBlock { PositionBlock() }

    public func read(items: [Int], into block: inout PositionBlock) throws {
        let pixels = scan.rows * scan.columns, perItem = framesPerPosition * pixels
        if block.frames.count < items.count * perItem {
            block.frames = [Float](repeating: 0, count: items.count * perItem)
        }
        block.items = items
        try block.frames.withUnsafeMutableBytes { raw in
            for (slot, item) in items.enumerated() {
                var k = 0
                while k < framesPerPosition {
                    let (file, index) = scan.frames.frames[scan.order[item * framesPerPosition + k]]
                    var run = 1
                    while k + run < framesPerPosition,
                          scan.frames.frames[scan.order[item * framesPerPosition + k + run]] == (file, index + run) { run += 1 }
                    let start = (slot * perItem + k * pixels) * 4
                    var bytes = UnsafeMutableRawBufferPointer(rebasing: raw[start..<start + run * pixels * 4]).mutableBytes
                    do {
                        _ = try scan.frames.files[file].read(frames: index..<index + run, as: .float32, rows: scan.rows,
                                                             columns: scan.columns, into: &bytes)
                    } catch {
                        throw ItemFailure(item: item, underlying: error)
                    }
                    k += run
                }
            }
        }
    }
}

/// The raw frames of a batch of positions, `frames_per_pos` frames each, one after another.
public struct PositionBlock: Sendable {
    var frames: [Float] = []
    var items: [Int] = []
    public init() {}
}
