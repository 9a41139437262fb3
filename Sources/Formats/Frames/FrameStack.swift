import Core
import Foundation
import HDF5

/// A stack of detector frames in an HDF5/NeXus file: a 3-D dataset (frames, rows, columns) or a 4-D one
/// (scans, frames, rows, columns), read frame range by frame range.
public struct FrameStack: FrameFile {
    /// The HDF5 file's path.
    public let path: String
    /// The frames dataset's path in the file (the one given, or the known location found).
    public let dataset: String
    /// The dataset's extent: (frames, rows, columns) or (scans, frames, rows, columns).
    public let shape: [Int]
    /// The element type in the file, e.g. `.int32`.
    public let storedType: ElementType?
    /// How the frames are read without conversion: the file's own type when it is float32, int32, uint32, uint16,
    /// int16 or uint8, else converted to float32.
    public let pixelType: ElementType
    /// The frames in place in the mapped file, when they are stored whole as ``pixelType`` values (see
    /// ``mappedFrame(_:)``).
    private let mapping: MappedFrames?

    /// Frame locations of known facilities, tried in order when no dataset path is given (docs/reference/integration.md §13).
    public static let knownPaths: [(name: String, path: String)] = [
        ("ESRF ID02 (LImA)", "/entry_0000/measurement/data"),
        ("Diamond I22/B21", "/entry1/detector/data"),
        ("NeXus NXdetector", "/entry/instrument/detector/data"),
        ("DECTRIS/NeXus NXdata", "/entry/data/data"),
    ]

    /// Opens `path` and checks the frames dataset: `dataset`, or the first of ``knownPaths`` present.
    /// - Throws: ``FormatError`` naming the file and dataset, listing the file's datasets when it is missing.
    public init(path: String, dataset: String?) throws(FormatError) {
        self.path = path
        let file: File
        do { file = try File.open(path) } catch { throw FormatError(file: path, message: "cannot open as HDF5: \(error)") }
        defer { try? file.close() }
        var chosen = dataset
        if chosen == nil {
            for candidate in Self.knownPaths where (try? file.exists(candidate.path)) == true {
                chosen = candidate.path
                break
            }
        }
        guard let name = chosen else {
            throw FormatError(file: path, message: "no frames at any known location ("
                              + Self.knownPaths.map(\.path).joined(separator: ", ") + "); pass --data-path; " + file.datasetSummary())
        }
        guard (try? file.exists(name)) == true else {
            throw FormatError(file: path, message: "no dataset \(name); \(file.datasetSummary())")
        }
        let ds: Dataset
        do { ds = try file.openDataset(name) } catch {
            throw FormatError(file: path, message: "dataset \(name): \(error)")
        }
        guard ds.shape.count == 3 || ds.shape.count == 4 else {
            throw FormatError(file: path, message: "dataset \(name) has shape \(ds.shape); frames need 3 dimensions "
                              + "(frames, rows, columns) or 4 (scans, frames, rows, columns)")
        }
        if case .string = ds.type { throw FormatError(file: path, message: "dataset \(name) holds strings, not frames") }
        self.dataset = name
        shape = ds.shape
        storedType = ds.type
        pixelType = switch ds.type {
        case .float32, .int32, .uint32, .uint16, .int16, .uint8: ds.type
        default: .float32
        }
        mapping = pixelType == ds.type ? MappedFrames(ds, alignment: pixelType.size) : nil
    }

    /// Frame `frame` (over all scans of a 4-D stack) where it lies in the mapped file (``pixelType`` values as
    /// stored): no copy at all. nil when the dataset is not stored whole in that type, and frames must be read.
    /// Call ``releaseMapped(_:)`` when done with it.
    public func mappedFrame(_ frame: Int) -> UnsafeRawPointer? {
        guard let mapping, (0..<frameCount).contains(frame) else { return nil }
        let (element, byte) = location(frame)
        return mapping.address(element, byte: byte)
    }

    /// Takes frame `frame` out of the process's resident set (it stays in the page cache), so that memory does not
    /// grow with the frames read in place.
    public func releaseMapped(_ frame: Int) {
        guard let mapping, (0..<frameCount).contains(frame) else { return }
        let (element, byte) = location(frame)
        mapping.release(element, bytes: byte..<byte + rows * columns * pixelType.size)
    }

    /// The element of the dataset's first dimension holding `frame`, and the frame's byte offset in it.
    private func location(_ frame: Int) -> (element: Int, byte: Int) {
        let perElement = shape.count == 4 ? shape[1] : 1
        return (frame / perElement, frame % perElement * rows * columns * pixelType.size)
    }

    public static let format = FrameFormat(
        name: "HDF5/NeXus", extensions: ["h5", "hdf5", "hdf", "nxs", "nx5", "nexus", "cxi"], listedInDirectories: false
    ) { path, dataPath throws(FormatError) in
        let stack = try FrameStack(path: path, dataset: dataPath)
        guard stack.frameCount > 0 else { throw FormatError(file: path, message: "\(stack.dataset) holds no frames") }
        return stack
    }

    public func frameSize() throws(FormatError) -> (rows: Int, columns: Int) { (rows, columns) }
    public var knownFrameSize: (rows: Int, columns: Int)? { (rows, columns) }

    /// The file's stem and the frame number, e.g. `scan_00042`.
    public func frameName(_ index: Int) -> String { stem + "_" + String(format: "%05d", index) }

    /// The number of frames over all scans.
    public var frameCount: Int { shape.dropLast(2).reduce(1, *) }
    /// Pixel rows per frame.
    public var rows: Int { shape[shape.count - 2] }
    /// Pixel columns per frame.
    public var columns: Int { shape[shape.count - 1] }

    /// Reads frames `range` as `type` (``pixelType`` or float32) into `bytes` (exactly that many frames), checking
    /// the frame size; returns the stored type.
    public func read(frames range: Range<Int>, as type: ElementType, rows: Int, columns: Int,
                     into bytes: inout MutableRawSpan) throws(FormatError) -> ElementType {
        guard rows == self.rows, columns == self.columns else {
            throw FormatError(file: path, message: "frames of \(dataset) are \(self.rows) × \(self.columns) pixels; "
                              + "\(rows) × \(columns) expected")
        }
        let n = range.count * rows * columns
        guard type == pixelType || type == .float32, bytes.byteCount == n * type.size else {
            throw FormatError(file: path, message: "reading frames \(range) as \(type) into \(bytes.byteCount) bytes")
        }
        try bytes.withUnsafeMutableBytes { raw throws(FormatError) in
            func typed<T: NumericElement>(_: T.Type) throws(FormatError) {
                try read(frames: range, into: raw.bindMemory(to: T.self))
            }
            switch type {
            case .int32: try typed(Int32.self)
            case .uint32: try typed(UInt32.self)
            case .uint16: try typed(UInt16.self)
            case .int16: try typed(Int16.self)
            case .uint8: try typed(UInt8.self)
            default: try typed(Float.self)
            }
        }
        return storedType ?? pixelType
    }

    /// Reads frames `range` (indices over all scans of a 4-D stack, scan-major) into `buffer` (exactly
    /// `range.count` frames, row-major), as `T`: the file's own type reads
    /// straight into the buffer, another one goes through HDF5's conversion.
    func read<T: NumericElement>(frames range: Range<Int>, into buffer: UnsafeMutableBufferPointer<T>) throws(FormatError) {
        guard range.lowerBound >= 0, range.upperBound <= frameCount else {
            throw FormatError(file: path, message: "frames \(range) outside the \(frameCount) of \(dataset)")
        }
        let pixels = rows * columns
        do {
            let file = try File.open(path)
            defer { try? file.close() }
            let ds = try file.openDataset(dataset)
            if shape.count == 3 {
                var span = buffer.mutableSpan
                try ds.read(into: &span, offset: [range.lowerBound, 0, 0], count: [range.count, rows, columns])
                return
            }
            // 4-D: one read per scan the range touches.
            var frame = range.lowerBound
            while frame < range.upperBound {
                let scan = frame / shape[1], first = frame % shape[1]
                let n = min(range.upperBound - frame, shape[1] - first)
                let start = (frame - range.lowerBound) * pixels
                var span = UnsafeMutableBufferPointer(rebasing: buffer[start..<start + n * pixels]).mutableSpan
                try ds.read(into: &span,
                            offset: [scan, first, 0, 0], count: [1, n, rows, columns])
                frame += n
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "reading frames \(range) of \(dataset): \(error)")
        }
    }
}

extension File {
    /// "it holds: /a [3, 4], /b [5], …" (the first 20 datasets), for messages about a missing dataset.
    func datasetSummary() -> String {
        let all = (try? datasetList()) ?? []
        let described = all.prefix(20).map { "\($0.path) \($0.shape)" }.joined(separator: ", ")
        return all.isEmpty ? "it holds no datasets" : "it holds: \(described)\(all.count > 20 ? ", …" : "")"
    }
}
