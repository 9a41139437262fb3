import HDF5

/// A stack of detector frames in an HDF5/NeXus file: a 3-D dataset (frames, rows, columns) or a 4-D one
/// (scans, frames, rows, columns), read frame range by frame range.
public struct FrameStack: Sendable {
    public let path: String
    public let dataset: String
    public let shape: [Int]
    /// The element type in the file, e.g. `int32`.
    public let elementType: String
    /// The largest value of an unsigned integer type (Eiger and LImA mark overflowed or dead pixels with it).
    public let unsignedMaximum: Double?

    /// Frame locations of known facilities, tried in order when no dataset path is given (integration.md §13).
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
        func listing() -> String {
            let all = (try? file.datasetList()) ?? []
            let described = all.prefix(20).map { "\($0.path) \($0.shape)" }.joined(separator: ", ")
            return all.isEmpty ? "it holds no datasets" : "it holds: \(described)\(all.count > 20 ? ", …" : "")"
        }
        guard let name = chosen else {
            throw FormatError(file: path, message: "no frames at any known location ("
                              + Self.knownPaths.map(\.path).joined(separator: ", ") + "); pass --data-path; " + listing())
        }
        guard (try? file.exists(name)) == true else {
            throw FormatError(file: path, message: "no dataset \(name); \(listing())")
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
        unsignedMaximum = switch ds.type {
        case .uint8: 255
        case .uint16: 65535
        case .uint32: 4294967295
        default: nil
        }
    }

    public var frameCount: Int { shape.dropLast(2).reduce(1, *) }
    public var rows: Int { shape[shape.count - 2] }
    public var columns: Int { shape[shape.count - 1] }

    /// Reads frames `range` (indices over all scans of a 4-D stack, scan-major) as 32-bit floats, frame after
    /// frame, row-major.
    public func read(frames range: Range<Int>) throws(FormatError) -> [Float] {
        guard range.lowerBound >= 0, range.upperBound <= frameCount else {
            throw FormatError(file: path, message: "frames \(range) outside the \(frameCount) of \(dataset)")
        }
        do {
            let file = try File.open(path)
            defer { try? file.close() }
            let ds = try file.openDataset(dataset)
            let pixels = rows * columns
            if shape.count == 3 {
                return try ds.read(Float.self, offset: [range.lowerBound, 0, 0], count: [range.count, rows, columns])
            }
            // 4-D: one read per scan the range touches.
            var out: [Float] = []
            out.reserveCapacity(range.count * pixels)
            var frame = range.lowerBound
            while frame < range.upperBound {
                let scan = frame / shape[1], first = frame % shape[1]
                let n = min(range.upperBound - frame, shape[1] - first)
                out += try ds.read(Float.self, offset: [scan, first, 0, 0], count: [1, n, rows, columns])
                frame += n
            }
            return out
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "reading frames \(range) of \(dataset): \(error)")
        }
    }
}
