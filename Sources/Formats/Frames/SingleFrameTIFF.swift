import Core
import Foundation
import LibTIFF

/// A TIFF file of detector frames (Pilatus, Eiger and Rayonix TIFFs), one per page (most hold one), read through
/// libtiff as float32; its sample type and size are known from its header, looked at only when a frame is read.
public struct SingleFrameTIFF: FrameFile {
    public let path: String
    /// The pages, counted when the file is opened.
    public let frameCount: Int
    /// TIFF frames are converted to float32 as they are read.
    public var pixelType: ElementType { .float32 }
    /// Known only by reading.
    public var storedType: ElementType? { nil }

    /// Opens `path`, counting its pages.
    public init(path: String) throws(FormatError) {
        self.path = path
        frameCount = try TIFF.pageCount(of: path)
        guard frameCount > 0 else { throw FormatError(file: path, message: "the TIFF file holds no image") }
    }

    public static let format = FrameFormat(name: "TIFF", extensions: ["tif", "tiff"], listedInDirectories: true) {
        path, _ throws(FormatError) in try SingleFrameTIFF(path: path)
    }

    public func frameSize() throws(FormatError) -> (rows: Int, columns: Int) { try TIFF.size(of: path) }

    /// The stem for a one-page file; `<stem>_<page:05d>` for each page of a multi-page one (as stacks name frames).
    public func frameName(_ index: Int) -> String {
        frameCount == 1 ? stem : stem + "_" + String(format: "%05d", index)
    }

    /// The page's ImageDescription and DateTime as a Pilatus header (none when the tags cannot be read: the
    /// pixels' own read reports an unreadable file).
    public func header(_ index: Int) -> FrameHeader {
        guard let tags = try? TIFF.textTags(of: path, page: index) else { return FrameHeader() }
        return FrameHeader(pilatusDescription: tags.description, dateTime: tags.dateTime)
    }

    public func read(frames range: Range<Int>, as type: ElementType, rows: Int, columns: Int,
                     into bytes: inout MutableRawSpan) throws(FormatError) -> ElementType {
        try readConverted(frames: range, as: type, rows: rows, columns: columns, into: &bytes, part: "page") {
            page throws(FormatError) in
            let image = try TIFF.read(path, page: page)
            return (image.pixels, image.rows, image.columns, image.sampleType)
        }
    }
}
