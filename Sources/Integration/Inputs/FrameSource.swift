import Batch
import Core
import Formats

/// The input side of `integrate`: reads a batch's frames for the runner, in blocks of up to ``FrameBlock/lanes``
/// frames of one pixel type (the files' own when the block holds frames of one type only, else float32), the
/// grouping the integration kernel works in. Frames of a file mapped in that type are used in place (no copy); the
/// others are read into the batch's buffer. Any registered ``FrameFormat`` is read the same way.
public struct FrameSource: BlockSource {
    public let inputs: FrameInputs
    let rows: Int
    let columns: Int
    /// Exclude negative pixels; exclude pixels at or above this value (nil: the maximum of unsigned types).
    let maskNegative: Bool
    let overflow: Double?

    init(inputs: FrameInputs, rows: Int, columns: Int, settings: IntegrateSettings) {
        self.inputs = inputs
        self.rows = rows
        self.columns = columns
        maskNegative = settings.maskNegative
        overflow = settings.overflow
    }

    public func makeBlock() -> FrameBatch { FrameBatch() }

    public func read(items: [Int], into batch: inout FrameBatch) throws {
        let pixels = rows * columns
        // First where each frame comes from: in place in a mapping, or read into the buffer at an offset.
        var reads: [FrameRead] = []
        var bufferedBytes = 0
        batch.blocks.removeAll(keepingCapacity: true)
        var start = 0
        while start < items.count {
            let block = Array(items[start..<min(items.count, start + FrameBlock.lanes)])
            batch.blocks.append(plan(block, index: batch.blocks.count, pixels: pixels, reads: &reads,
                                     bufferedBytes: &bufferedBytes))
            start += block.count
        }
        // Then the reads, into a buffer that only grows (mapped stacks need none) and keeps its memory.
        if batch.raw.count * 4 < bufferedBytes { batch.raw = [UInt32](repeating: 0, count: (bufferedBytes + 3) / 4) }
        try batch.raw.withUnsafeMutableBytes { raw in
            for read in reads {
                // A dynamic mask depends on the stored type, for some files known once a frame is read.
                let stored = try perform(read, into: raw, pixels: pixels)
                if read.file.storedType == nil {
                    for lane in read.lane..<read.lane + read.count {
                        batch.blocks[read.block].masks[lane] = dynamicMask(stored.unsignedMaximum)
                    }
                }
            }
        }
    }

    /// A read into the batch's buffer: a run of consecutive frames of one file.
    private struct FrameRead {
        var file: any FrameFile
        var first: Int
        var item: Int
        /// The kernel block and lane of its first frame.
        var block: Int
        var lane: Int
        var count: Int
        var type: ElementType
        var offset: Int
    }

    /// The kernel block of frames `items` (at most ``FrameBlock/lanes``), all of one pixel type: the files' own
    /// when the block holds frames of one type only, else float32. A run of consecutive frames of a file mapped in
    /// that type is used in place; every other run gets a place in the buffer (at `bufferedBytes`, which grows)
    /// and a read.
    private func plan(_ items: [Int], index blockIndex: Int, pixels: Int, reads: inout [FrameRead],
                      bufferedBytes: inout Int) -> FrameBatch.Block {
        let types = Set(items.map { inputs.file(of: $0).pixelType })
        let type = types.count == 1 ? types.first! : .float32
        var block = FrameBatch.Block(items: items, type: type)
        var i = 0
        while i < items.count {
            let (fileIndex, index) = inputs.frames[items[i]]
            let file = inputs.files[fileIndex]
            var n = 1
            while i + n < items.count, inputs.frames[items[i + n]].file == fileIndex,
                  inputs.frames[items[i + n]].index == index + n { n += 1 }
            // Known now for most files; set from the stored type once read for the others (TIFF).
            block.masks += Array(repeating: dynamicMask(file.storedType?.unsignedMaximum), count: n)
            let mapped = type == file.pixelType ? (index..<index + n).compactMap(file.mappedFrame) : []
            if mapped.count == n {
                block.frames += mapped.map { .mapped(FrameBatch.Address($0)) }
            } else {
                reads.append(FrameRead(file: file, first: index, item: items[i], block: blockIndex, lane: i,
                                       count: n, type: type, offset: bufferedBytes))
                block.frames += (0..<n).map { .buffered(offset: bufferedBytes + $0 * pixels * type.size) }
                bufferedBytes += n * pixels * type.size
            }
            i += n
        }
        return block
    }

    /// Reads one run of frames into `raw` at its offset; returns the stored element type.
    private func perform(_ read: FrameRead, into raw: UnsafeMutableRawBufferPointer, pixels: Int) throws -> ElementType {
        let region = UnsafeMutableRawBufferPointer(rebasing: raw[read.offset..<read.offset + read.count * pixels * read.type.size])
        var bytes = region.mutableBytes
        do {
            return try read.file.read(frames: read.first..<read.first + read.count, as: read.type, rows: rows,
                                      columns: columns, into: &bytes)
        } catch {
            throw ItemFailure(item: read.item, underlying: error)
        }
    }

    private func dynamicMask(_ typeMaximum: Double?) -> DynamicMask {
        DynamicMask(negative: maskNegative, overflow: (overflow ?? typeMaximum).map { Float($0) })
    }

    /// Lets mapped frames of `items` leave the resident set again (memory must not grow with the stack).
    func release(_ items: [Int]) {
        for item in items {
            inputs.file(of: item).releaseMapped(inputs.frames[item].index)
        }
    }
}

/// A batch of frames as ``FrameSource`` read it: kernel blocks of frames, each frame mapped in place or in the
/// batch's buffer.
public struct FrameBatch: Sendable {
    /// A place in a mapped file; the mapping lives as long as the job's ``FrameInputs``.
    struct Address: @unchecked Sendable {
        let pointer: UnsafeRawPointer
        init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
    }

    /// Where a frame's pixels are.
    enum Frame: Sendable {
        case mapped(Address)
        /// Bytes from the start of ``raw``.
        case buffered(offset: Int)
    }

    /// Up to ``FrameBlock/lanes`` frames of one pixel type, with their dynamic masks.
    struct Block: Sendable {
        var items: [Int]
        var type: ElementType
        var frames: [Frame] = []
        var masks: [DynamicMask] = []
    }

    /// Frames read rather than mapped, one after another in their block's type.
    var raw: [UInt32] = []
    var blocks: [Block] = []

    public init() {}
}
