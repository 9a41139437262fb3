import Core
import HDF5

/// A stack of detector frames in an HDF5/NeXus file: a 3-D dataset (frames, rows, columns) or a 4-D one
/// (scans, frames, rows, columns), read frame range by frame range.
public struct FrameStack: Sendable {
    /// The HDF5 file's path.
    public let path: String
    /// The frames dataset's path in the file (the one given, or the known location found).
    public let dataset: String
    /// The dataset's extent: (frames, rows, columns) or (scans, frames, rows, columns).
    public let shape: [Int]
    /// The element type in the file, e.g. `int32`.
    public let elementType: String
    /// How the frames are read by ``read(frames:intoRaw:)``: the file's own type when it is one of these,
    /// else converted to float32.
    public let pixelType: PixelType
    /// The largest value of an unsigned integer type (Eiger and LImA mark overflowed or dead pixels with it).
    public let unsignedMaximum: Double?
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
        elementType = ds.type.description
        pixelType = switch ds.type {
        case .int32: .int32
        case .uint32: .uint32
        case .uint16: .uint16
        case .int16: .int16
        case .uint8: .uint8
        default: .float32
        }
        unsignedMaximum = switch ds.type {
        case .uint8: 255
        case .uint16: 65535
        case .uint32: 4294967295
        default: nil
        }
        mapping = pixelType.elementType == ds.type ? MappedFrames(ds, alignment: pixelType.size) : nil
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

    /// The number of frames over all scans.
    public var frameCount: Int { shape.dropLast(2).reduce(1, *) }
    /// Pixel rows per frame.
    public var rows: Int { shape[shape.count - 2] }
    /// Pixel columns per frame.
    public var columns: Int { shape[shape.count - 1] }

    /// Reads frames `range` into `raw` (at least `range.count` frames of ``pixelType``) without converting: the
    /// fastest read, for callers that convert as they go.
    public func read(frames range: Range<Int>, intoRaw raw: UnsafeMutableRawBufferPointer) throws(FormatError) {
        let n = range.count * rows * columns
        func typed<T: HDF5Element>(_: T.Type) throws(FormatError) {
            let base = raw.baseAddress!.bindMemory(to: T.self, capacity: n)
            try read(frames: range, into: UnsafeMutableBufferPointer(start: base, count: n))
        }
        guard raw.count >= n * pixelType.size else {
            throw FormatError(file: path, message: "a buffer of \(raw.count) bytes for \(range.count) frames")
        }
        switch pixelType {
        case .float32: try typed(Float.self)
        case .int32: try typed(Int32.self)
        case .uint32: try typed(UInt32.self)
        case .uint16: try typed(UInt16.self)
        case .int16: try typed(Int16.self)
        case .uint8: try typed(UInt8.self)
        }
    }

    /// Reads frames `range` (indices over all scans of a 4-D stack, scan-major) into `buffer` (exactly
    /// `range.count` frames, row-major), as `T`: the file's own type reads
    /// straight into the buffer, another one goes through HDF5's conversion.
    public func read<T: HDF5Element>(frames range: Range<Int>, into buffer: UnsafeMutableBufferPointer<T>) throws(FormatError) {
        guard range.lowerBound >= 0, range.upperBound <= frameCount else {
            throw FormatError(file: path, message: "frames \(range) outside the \(frameCount) of \(dataset)")
        }
        let pixels = rows * columns
        do {
            let file = try File.open(path)
            defer { try? file.close() }
            let ds = try file.openDataset(dataset)
            if shape.count == 3 {
                try ds.read(into: buffer, offset: [range.lowerBound, 0, 0], count: [range.count, rows, columns])
                return
            }
            // 4-D: one read per scan the range touches.
            var frame = range.lowerBound
            while frame < range.upperBound {
                let scan = frame / shape[1], first = frame % shape[1]
                let n = min(range.upperBound - frame, shape[1] - first)
                let start = (frame - range.lowerBound) * pixels
                try ds.read(into: UnsafeMutableBufferPointer(rebasing: buffer[start..<start + n * pixels]),
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

/// The element types detector frames are read in without conversion.
public enum PixelType: Sendable, Equatable {
    case float32, int32, uint32, uint16, int16, uint8

    /// Bytes per pixel.
    public var size: Int {
        switch self {
        case .float32, .int32, .uint32: 4
        case .uint16, .int16: 2
        case .uint8: 1
        }
    }

    /// The HDF5 element type of the same values.
    var elementType: ElementType {
        switch self {
        case .float32: .float32
        case .int32: .int32
        case .uint32: .uint32
        case .uint16: .uint16
        case .int16: .int16
        case .uint8: .uint8
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
