import Batch
import Core
import Formats
import LibTIFF

/// The input side of `integrate`: reads a batch's frames for the runner, in blocks of up to ``FrameBlock/lanes``
/// frames of one pixel type (the stacks' own when the block holds frames of one stack type only, else float32),
/// the grouping the integration kernel works in. Frames of a stack stored whole in that type are used where the
/// file is mapped (no copy); the others are read into the batch's buffer.
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
                // A TIFF's dynamic mask depends on its sample type, known once it is read.
                if let maximum = try perform(read, into: raw, pixels: pixels) {
                    batch.blocks[read.block].masks[read.lane] = dynamicMask(maximum)
                }
            }
        }
    }

    /// A read into the batch's buffer: one TIFF frame, or a run of consecutive frames of one stack.
    private struct FrameRead {
        enum Input { case tiff(String), stack(FrameStack, first: Int) }
        var input: Input
        var item: Int
        /// The kernel block and lane of its first frame.
        var block: Int
        var lane: Int
        var count: Int
        var type: PixelType
        var offset: Int
    }

    /// The kernel block of frames `items` (at most ``FrameBlock/lanes``), all of one pixel type: the stacks' own when
    /// the block holds frames of one stack type only, else float32. A run of consecutive frames of a stack stored
    /// whole in that type is used where the file is mapped; every other frame gets a place in the buffer (at
    /// `bufferedBytes`, which grows) and a read.
    private func plan(_ items: [Int], index blockIndex: Int, pixels: Int, reads: inout [FrameRead],
                      bufferedBytes: inout Int) -> FrameBatch.Block {
        let types = Set(items.map { item -> PixelType in
            if case .stack(let stack) = inputs.sources[inputs.frames[item].source] { return stack.pixelType }
            return .float32
        })
        let type = types.count == 1 ? types.first! : .float32
        var block = FrameBatch.Block(items: items, type: type)
        var i = 0
        while i < items.count {
            let (source, index) = inputs.frames[items[i]]
            var n = 1
            switch inputs.sources[source] {
            case .tiff(let path):
                reads.append(FrameRead(input: .tiff(path), item: items[i], block: blockIndex, lane: i, count: 1,
                                       type: type, offset: bufferedBytes))
                block.masks.append(dynamicMask(nil))  // set from the TIFF's sample type once it is read
            case .stack(let stack):
                while i + n < items.count, inputs.frames[items[i + n]].source == source,
                      inputs.frames[items[i + n]].index == index + n { n += 1 }
                let mapped = type == stack.pixelType ? (index..<index + n).compactMap(stack.mappedFrame) : []
                if mapped.count == n {
                    block.frames += mapped.map { .mapped(FrameBatch.Address($0)) }
                    block.masks += Array(repeating: dynamicMask(stack.unsignedMaximum), count: n)
                    i += n
                    continue
                }
                reads.append(FrameRead(input: .stack(stack, first: index), item: items[i], block: blockIndex, lane: i,
                                       count: n, type: type, offset: bufferedBytes))
                block.masks += Array(repeating: dynamicMask(stack.unsignedMaximum), count: n)
            }
            block.frames += (0..<n).map { .buffered(offset: bufferedBytes + $0 * pixels * type.size) }
            bufferedBytes += n * pixels * type.size
            i += n
        }
        return block
    }

    /// Reads one TIFF frame or run of stack frames into `raw` at its offset; returns a TIFF's type maximum.
    private func perform(_ read: FrameRead, into raw: UnsafeMutableRawBufferPointer, pixels: Int) throws -> Double? {
        let region = UnsafeMutableRawBufferPointer(rebasing: raw[read.offset..<read.offset + read.count * pixels * read.type.size])
        switch read.input {
        case .tiff(let path):
            let image: TIFFImage
            do { image = try TIFF.read(path) } catch { throw ItemFailure(item: read.item, underlying: error) }
            guard image.rows == rows, image.columns == columns else {
                throw ItemFailure(item: read.item, underlying: FormatError(file: path, message:
                    "the frame is \(image.rows) × \(image.columns) pixels; the calibration's Imagesize is "
                    + "\(rows) × \(columns)"))
            }
            // TIFF frames join blocks as float32 (a block holding one is float32).
            _ = region.bindMemory(to: Float.self).update(fromContentsOf: image.pixels)
            return image.unsignedMaximum
        case .stack(let stack, let first):
            do {
                if read.type == .float32 {
                    try stack.read(frames: first..<first + read.count, into: region.bindMemory(to: Float.self))
                } else {
                    try stack.read(frames: first..<first + read.count, intoRaw: region)
                }
            } catch { throw ItemFailure(item: read.item, underlying: error) }
            return nil
        }
    }

    private func dynamicMask(_ typeMaximum: Double?) -> DynamicMask {
        DynamicMask(negative: maskNegative, overflow: (overflow ?? typeMaximum).map { Float($0) })
    }

    /// Lets mapped frames of `items` leave the resident set again (memory must not grow with the stack).
    func release(_ items: [Int]) {
        for item in items {
            let (source, index) = inputs.frames[item]
            if case .stack(let stack) = inputs.sources[source] { stack.releaseMapped(index) }
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
        var type: PixelType
        var frames: [Frame] = []
        var masks: [DynamicMask] = []
    }

    /// Frames read rather than mapped, one after another in their block's type.
    var raw: [UInt32] = []
    var blocks: [Block] = []

    public init() {}
}
