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
        // 4 bytes per pixel: the widest type read unconverted. The buffer keeps its memory from batch to batch.
        if batch.raw.count < items.count * pixels { batch.raw = [UInt32](repeating: 0, count: items.count * pixels) }
        batch.blocks.removeAll(keepingCapacity: true)
        var start = 0
        try batch.raw.withUnsafeMutableBytes { raw in
            while start < items.count {
                let block = Array(items[start..<min(items.count, start + FrameBlock.lanes)])
                let region = UnsafeMutableRawBufferPointer(rebasing: raw[(start * pixels * 4)...])
                batch.blocks.append(try read(block, into: region, offset: start * pixels * 4, pixels: pixels))
                start += block.count
            }
        }
    }

    /// The frames `items` (in order, at most one kernel block), all of one pixel type, read into `raw` (which
    /// lies `offset` bytes into the batch's buffer) where they are not mapped.
    private func read(_ items: [Int], into raw: UnsafeMutableRawBufferPointer, offset: Int,
                      pixels: Int) throws -> FrameBatch.Block {
        let types = Set(items.map { item -> PixelType in
            if case .stack(let stack) = inputs.sources[inputs.frames[item].source] { return stack.pixelType }
            return .float32
        })
        let type = types.count == 1 ? types.first! : .float32
        let floats = raw.baseAddress!.bindMemory(to: Float.self, capacity: items.count * pixels)
        var block = FrameBatch.Block(items: items, type: type)
        var i = 0
        while i < items.count {
            let (source, index) = inputs.frames[items[i]]
            switch inputs.sources[source] {
            case .tiff(let path):
                let image: TIFFImage
                do { image = try TIFF.read(path) } catch { throw ItemFailure(item: items[i], underlying: error) }
                guard image.rows == rows, image.columns == columns else {
                    throw ItemFailure(item: items[i], underlying: FormatError(file: path, message:
                        "the frame is \(image.rows) × \(image.columns) pixels; the calibration's Imagesize is "
                        + "\(rows) × \(columns)"))
                }
                _ = UnsafeMutableBufferPointer(start: floats + i * pixels, count: pixels).update(fromContentsOf: image.pixels)
                block.frames.append(.buffered(offset: offset + i * pixels * type.size))
                block.masks.append(dynamicMask(image.unsignedMaximum))
                i += 1
            case .stack(let stack):
                // A run of consecutive frames of this stack in one read.
                var n = 1
                while i + n < items.count, inputs.frames[items[i + n]].source == source,
                      inputs.frames[items[i + n]].index == index + n { n += 1 }
                let mapped = type == stack.pixelType ? (index..<index + n).compactMap(stack.mappedFrame) : []
                if mapped.count == n {
                    block.frames += mapped.map { .mapped(FrameBatch.Address($0)) }
                } else {
                    do {
                        if type == .float32 {
                            try stack.read(frames: index..<index + n,
                                           into: UnsafeMutableBufferPointer(start: floats + i * pixels, count: n * pixels))
                        } else {
                            try stack.read(frames: index..<index + n, intoRaw: UnsafeMutableRawBufferPointer(
                                rebasing: raw[(i * pixels * type.size)...]))
                        }
                    } catch { throw ItemFailure(item: items[i], underlying: error) }
                    block.frames += (0..<n).map { .buffered(offset: offset + (i + $0) * pixels * type.size) }
                }
                block.masks += Array(repeating: dynamicMask(stack.unsignedMaximum), count: n)
                i += n
            }
        }
        return block
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

    /// Frames read rather than mapped, 4 bytes per pixel each (in their block's type).
    var raw: [UInt32] = []
    var blocks: [Block] = []

    public init() {}
}
