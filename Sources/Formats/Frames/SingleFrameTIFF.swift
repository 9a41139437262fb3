import Core
import LibTIFF

/// A TIFF file holding one detector frame (Pilatus, Eiger and Rayonix TIFFs), read through libtiff as float32;
/// its sample type and size are known from its header, looked at only when the frame is read.
public struct SingleFrameTIFF: FrameFile {
    public let path: String
    public var frameCount: Int { 1 }
    /// TIFF frames are converted to float32 as they are read.
    public var pixelType: ElementType { .float32 }
    /// Known only by reading.
    public var storedType: ElementType? { nil }

    public init(path: String) { self.path = path }

    public static let format = FrameFormat(name: "TIFF", extensions: ["tif", "tiff"], listedInDirectories: true) {
        path, _ throws(FormatError) in SingleFrameTIFF(path: path)
    }

    public func frameSize() throws(FormatError) -> (rows: Int, columns: Int) { try TIFF.size(of: path) }

    public func frameName(_ index: Int) -> String { stem }

    public func read(frames range: Range<Int>, as type: ElementType, rows: Int, columns: Int,
                     into bytes: inout MutableRawSpan) throws(FormatError) -> ElementType {
        guard range == 0..<1, type == .float32, bytes.byteCount == rows * columns * 4 else {
            throw FormatError(file: path, message: "reading frames \(range) as \(type) into \(bytes.byteCount) bytes")
        }
        let image = try TIFF.read(path)
        guard image.rows == rows, image.columns == columns else {
            throw FormatError(file: path, message: "the frame is \(image.rows) × \(image.columns) pixels; "
                              + "\(rows) × \(columns) expected")
        }
        bytes.withUnsafeMutableBytes { raw in
            _ = raw.bindMemory(to: Float.self).update(fromContentsOf: image.pixels)
        }
        return image.sampleType
    }
}
