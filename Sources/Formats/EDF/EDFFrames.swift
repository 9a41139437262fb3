import Core
import Foundation

/// An EDF file as a ``FrameFile``: one frame per block, read as float32; the header's `Date`
/// (`YYYY-MM-DDTHH:MM:SS`, as LGC's instruments write it) is the frame's acquisition time.
public struct EDFFrames: FrameFile {
    public let image: EDFImage
    public var path: String { image.path }
    public var frameCount: Int { image.blocks.count }
    /// EDF frames are converted to float32 as they are read.
    public var pixelType: ElementType { .float32 }
    public var storedType: ElementType? { image.blocks[0].type }
    public var knownFrameSize: (rows: Int, columns: Int)? { (image.blocks[0].rows, image.blocks[0].columns) }

    /// Opens `path`, reading every block's header.
    public init(path: String) throws(FormatError) {
        image = try EDFImage(contentsOf: path)
    }

    public static let format = FrameFormat(name: "EDF", extensions: ["edf"], listedInDirectories: true) {
        path, _ throws(FormatError) in try EDFFrames(path: path)
    }

    public func frameSize() throws(FormatError) -> (rows: Int, columns: Int) {
        (image.blocks[0].rows, image.blocks[0].columns)
    }

    /// The stem for a one-block file; `<stem>_<block:05d>` for each block of a multi-block one.
    public func frameName(_ index: Int) -> String {
        frameCount == 1 ? stem : stem + "_" + String(format: "%05d", index)
    }

    public func header(_ index: Int) -> FrameHeader {
        var header = FrameHeader()
        if let date = image.blocks[index].header["Date"]?.trimmingCharacters(in: .whitespaces),
           date.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?/) != nil {
            header.acquired = date
        }
        return header
    }

    public func read(frames range: Range<Int>, as type: ElementType, rows: Int, columns: Int,
                     into bytes: inout MutableRawSpan) throws(FormatError) -> ElementType {
        try readConverted(frames: range, as: type, rows: rows, columns: columns, into: &bytes, part: "EDF block") {
            index throws(FormatError) in
            let block = image.blocks[index]
            return (try image.pixels(index), block.rows, block.columns, block.type)
        }
    }
}
