import Core
import Foundation

/// A file holding detector frames (one, like a TIFF, or many, like an HDF5 stack), as an input side reads it:
/// frame by frame or in runs of consecutive frames, converted or as stored, in place where it is mapped.
///
/// A new frame format is one type conforming to this protocol and one line in ``FrameFormat/registered``.
public protocol FrameFile: Sendable {
    /// The file's path.
    var path: String { get }
    /// The number of frames in the file.
    var frameCount: Int { get }
    /// The type frames are read as without conversion (``read(frames:as:rows:columns:into:)`` also reads as
    /// float32); float32 for files whose stored type is not a frame type, or known only by reading.
    var pixelType: ElementType { get }
    /// The stored element type, when known without reading a frame.
    var storedType: ElementType? { get }

    /// The frame size when known without opening the file again (else checked as frames are read).
    var knownFrameSize: (rows: Int, columns: Int)? { get }
    /// The frame size, reading no more than the file's header.
    func frameSize() throws(FormatError) -> (rows: Int, columns: Int)
    /// A name for frame `index` in the names of per-frame files (the file's stem, with the frame number for files
    /// of many frames).
    func frameName(_ index: Int) -> String
    /// Frame `index` where it lies in a mapped file (``pixelType`` values as stored, no copy), valid as long as the
    /// file value lives; nil when frames must be read. Call ``releaseMapped(_:)`` when done with it. (A pointer,
    /// not a span: the mapping outlives any one call, which a span cannot express without lifetime annotations.)
    func mappedFrame(_ index: Int) -> UnsafeRawPointer?
    /// Lets a mapped frame leave the process's resident set (memory must not grow with the frames read in place).
    func releaseMapped(_ index: Int)
    /// What the detector wrote about frame `index` beside its pixels (none by default).
    func header(_ index: Int) -> FrameHeader
    /// Reads frames `range` as `type` (``pixelType`` or float32) into `bytes`, which holds exactly that many frames
    /// of `rows` × `columns`; returns the stored element type.
    /// - Throws: ``FormatError`` naming the file when its frames are of another size or cannot be read.
    func read(frames range: Range<Int>, as type: ElementType, rows: Int, columns: Int,
              into bytes: inout MutableRawSpan) throws(FormatError) -> ElementType
}

extension FrameFile {
    public var storedType: ElementType? { pixelType }
    public var knownFrameSize: (rows: Int, columns: Int)? { nil }
    public func mappedFrame(_ index: Int) -> UnsafeRawPointer? { nil }
    public func releaseMapped(_ index: Int) {}
    public func header(_ index: Int) -> FrameHeader { FrameHeader() }

    /// The file's name without directory and extension.
    public var stem: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

    /// ``read(frames:as:rows:columns:into:)`` for formats that convert every frame to float32 as it is read
    /// (TIFF, EDF): checks the request, then stores each frame that `frame` returns, checking its size.
    /// - Parameters:
    ///   - part: what a frame is called in messages of files of many frames ("page", "block").
    ///   - frame: frame `index`'s pixels (row-major), size and stored element type.
    /// - Returns: the first frame's stored element type.
    public func readConverted(
        frames range: Range<Int>, as type: ElementType, rows: Int, columns: Int, into bytes: inout MutableRawSpan,
        part: String, frame: (Int) throws(FormatError) -> (pixels: [Float], rows: Int, columns: Int, stored: ElementType)
    ) throws(FormatError) -> ElementType {
        let frameBytes = rows * columns * 4
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= frameCount, type == .float32,
              bytes.byteCount == range.count * frameBytes else {
            throw FormatError(file: path, message: "reading frames \(range) as \(type) into \(bytes.byteCount) bytes")
        }
        var storedType = ElementType.float32
        for (k, index) in range.enumerated() {
            let image = try frame(index)
            guard image.rows == rows, image.columns == columns else {
                let which = frameCount == 1 ? "the frame" : "\(part) \(index)"
                throw FormatError(file: path, message: "\(which) is \(image.rows) × \(image.columns) pixels; "
                                  + "\(rows) × \(columns) expected")
            }
            bytes.withUnsafeMutableBytes { raw in
                _ = UnsafeMutableRawBufferPointer(rebasing: raw[k * frameBytes..<(k + 1) * frameBytes])
                    .bindMemory(to: Float.self).update(fromContentsOf: image.pixels)
            }
            if k == 0 { storedType = image.stored }
        }
        return storedType
    }
}
