import Batch
import Core
import Formats

/// The input side of `ptycho-ingest`: the raw frames of a batch of scan positions, as float32 counts (exact up to
/// 2²⁴ counts). A position's consecutive frames in one file are one read (a hyperslab of an HDF5 stack).
///
/// Frames stored whole as 8- or 16-bit integers in a file that can be mapped (an uncompressed HDF5 stack) are
/// converted straight from the mapping (``RawFrameConversion``); HDF5's own uint16 → float conversion was a
/// quarter of the read time (perf, 2026-12-06). The others are read through their format as float32.
public struct PositionSource: BlockSource {
    let scan: ScanInputs
    let framesPerPosition: Int
    /// Item k is scan position `positions[k]` (all positions, or those a region selects).
    let positions: [Int]

    public func makeBlock() -> PositionBlock { PositionBlock() }

    public func read(items: [Int], into block: inout PositionBlock) throws {
        let pixels = scan.rows * scan.columns, perItem = framesPerPosition * pixels
        if block.frames.count < items.count * perItem {
            block.frames = [Float](repeating: 0, count: items.count * perItem)
        }
        block.items = items
        try block.frames.withUnsafeMutableBufferPointer { all in
            for (slot, item) in items.enumerated() {
                let position = positions[item]
                var k = 0
                while k < framesPerPosition {
                    let (file, index) = scan.frames.frames[scan.order[position * framesPerPosition + k]]
                    var run = 1
                    while k + run < framesPerPosition,
                          scan.frames.frames[scan.order[position * framesPerPosition + k + run]] == (file, index + run) { run += 1 }
                    let start = slot * perItem + k * pixels
                    let target = UnsafeMutableBufferPointer(rebasing: all[start..<start + run * pixels])
                    do {
                        try read(scan.frames.files[file], frames: index..<index + run, into: target)
                    } catch {
                        throw ItemFailure(item: item, underlying: error)
                    }
                    k += run
                }
            }
        }
    }

    /// Frames `range` of `file` as float32 into `target` (exactly that many frames): converted from the mapping
    /// when ``RawFrameConversion`` handles the file's type, else read through the format.
    private func read(_ file: any FrameFile, frames range: Range<Int>, into target: UnsafeMutableBufferPointer<Float>)
        throws(FormatError) {
        let pixels = scan.rows * scan.columns
        if RawFrameConversion.handles(file.pixelType), file.knownFrameSize.map({ $0 == (scan.rows, scan.columns) }) == true {
            let mapped = range.compactMap(file.mappedFrame)
            if mapped.count == range.count {
                for (k, frame) in mapped.enumerated() {
                    RawFrameConversion.convert(frame, type: file.pixelType,
                                               into: UnsafeMutableBufferPointer(rebasing: target[k * pixels..<(k + 1) * pixels]))
                }
                for index in range { file.releaseMapped(index) }
                return
            }
            for index in range { file.releaseMapped(index) }
        }
        var bytes = UnsafeMutableRawBufferPointer(target).mutableBytes
        _ = try file.read(frames: range, as: .float32, rows: scan.rows, columns: scan.columns, into: &bytes)
    }
}

/// The raw frames of a batch of positions, `frames_per_pos` frames each, one after another.
public struct PositionBlock: Sendable {
    var frames: [Float] = []
    var items: [Int] = []
    public init() {}
}
