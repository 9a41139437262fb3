import HDF5

/// Where a NeXus tomography scan keeps its frames, image keys and angles (DLS NXtomo defaults; tomography.md §7.1).
public struct ScanPaths: Sendable, Equatable {
    public var data = "/entry1/tomo_entry/data/data"
    /// 0 projection, 1 flat, 2 dark (NXtomo `image_key`).
    public var imageKey = "/entry1/tomo_entry/instrument/detector/image_key"
    public var angles = "/entry1/tomo_entry/data/rotation_angle"

    public init() {}
}

/// A tomography scan in a NeXus/HDF5 file, read slab by slab: the frames dataset (frames, rows, columns) of
/// uint16 or float values, its image keys and rotation angles. HDF5 external links are followed (the frames of
/// a real scan usually live in a linked detector file, found beside the scan file).
///
/// Nothing but the keys and angles is read when the scan is opened: ``read(frames:rows:into:scratch:widen:)`` and
/// ``meanFrames(_:rows:)`` read only the detector rows asked for, so no process ever holds the whole volume.
public struct TomoScan: Sendable {
    public enum FrameKind: Int, Sendable { case projection = 0, flat = 1, dark = 2 }

    public let path: String
    public let paths: ScanPaths
    /// (frames, rows, columns) of the frames dataset.
    public let shape: [Int]
    /// The frames dataset's element type, e.g. `uint16`.
    public let elementType: String
    /// The frame indices of each kind, ascending.
    public let projectionFrames: [Int]
    public let flatFrames: [Int]
    public let darkFrames: [Int]
    /// The rotation angle of each projection (degrees), when the file has them.
    public let angles: [Double]?
    /// Whether the file has no image keys and every frame was taken as a projection.
    public let keysMissing: Bool
    private let readsRaw: Bool
    /// uint16 frames stored whole (contiguously or one per chunk, unfiltered), read in place without HDF5: no copy
    /// out of the page cache, and only the rows wanted of each chunk.
    private let mapping: MappedFrames?

    public var rows: Int { shape[1] }
    public var columns: Int { shape[2] }

    /// Opens `path`, checks the frames dataset and reads the image keys and angles. A file of flats and darks
    /// only passes `projections: false`.
    /// - Throws: ``FormatError`` naming the file and the dataset at fault; a missing dataset lists those the file
    ///   has.
    public init(path: String, paths: ScanPaths = ScanPaths(), projections: Bool = true) throws(FormatError) {
        self.path = path
        self.paths = paths
        let file: File
        do { file = try File.open(path) } catch { throw FormatError(file: path, message: "cannot open as HDF5: \(error)") }
        defer { try? file.close() }
        func open(_ name: String, option: String) throws(FormatError) -> Dataset {
            guard (try? file.exists(name)) == true else {
                throw FormatError(file: path, message: "no dataset \(name) (\(option)); \(file.datasetSummary())")
            }
            do { return try file.openDataset(name) } catch {
                throw FormatError(file: path, message: "dataset \(name) (\(option)) cannot be opened: \(error)")
            }
        }
        let data = try open(paths.data, option: "--data-path")
        guard data.shape.count == 3 else {
            throw FormatError(file: path, message: "dataset \(paths.data) has shape \(data.shape); a scan needs 3 "
                              + "dimensions (frames, rows, columns)")
        }
        guard data.shape.allSatisfy({ $0 > 0 }) else {
            throw FormatError(file: path, message: "dataset \(paths.data) is empty (shape \(data.shape))")
        }
        if case .string = data.type {
            throw FormatError(file: path, message: "dataset \(paths.data) holds strings, not frames")
        }
        shape = data.shape
        elementType = data.type.description
        readsRaw = data.type == .uint16
        mapping = readsRaw ? MappedFrames(data, alignment: 2) : nil
        let frames = shape[0]

        var keys = [Int32](repeating: 0, count: frames)
        keysMissing = (try? file.exists(paths.imageKey)) != true
        if !keysMissing {
            let keyData = try open(paths.imageKey, option: "--image-key-path")
            guard keyData.shape == [frames] else {
                throw FormatError(file: path, message: "image key \(paths.imageKey) has shape \(keyData.shape) but "
                                  + "\(paths.data) has \(frames) frames")
            }
            do { keys = try keyData.read(Int32.self) } catch {
                throw FormatError(file: path, message: "reading \(paths.imageKey): \(error)")
            }
            if let bad = keys.firstIndex(where: { !(0...2).contains($0) }) {
                throw FormatError(file: path, message: "image key \(paths.imageKey) holds \(keys[bad]) at frame "
                                  + "\(bad); keys must be 0 (projection), 1 (flat) or 2 (dark)")
            }
        }
        projectionFrames = keys.indices.filter { keys[$0] == 0 }
        flatFrames = keys.indices.filter { keys[$0] == 1 }
        darkFrames = keys.indices.filter { keys[$0] == 2 }
        guard !projectionFrames.isEmpty || !projections else {
            throw FormatError(file: path, message: "image key \(paths.imageKey) marks no frame as a projection (0)")
        }

        if (try? file.exists(paths.angles)) == true {
            let angleData = try open(paths.angles, option: "--angles-path")
            let all: [Double]
            do { all = try angleData.read(Double.self) } catch {
                throw FormatError(file: path, message: "reading \(paths.angles): \(error)")
            }
            if all.count == frames {
                angles = projectionFrames.map { all[$0] }
            } else if all.count == projectionFrames.count {
                angles = all
            } else {
                throw FormatError(file: path, message: "angles \(paths.angles) hold \(all.count) values for "
                                  + "\(frames) frames (\(projectionFrames.count) projections)")
            }
        } else {
            angles = nil
        }
    }

    /// Consecutive runs of `frames`, as ranges.
    static func runs(_ frames: [Int]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for f in frames {
            if let last = result.last, last.upperBound == f {
                result[result.count - 1] = last.lowerBound..<f + 1
            } else {
                result.append(f..<f + 1)
            }
        }
        return result
    }

    /// Whether frames are stored as uint16 (widened by ``read(frames:rows:into:scratch:widen:)``).
    public var storesUInt16: Bool { readsRaw }

    /// Whether ``read(frames:rows:into:scratch:widen:)`` needs a scratch buffer: uint16 frames read through HDF5
    /// (not in place).
    public var needsScratch: Bool { readsRaw && mapping == nil }

    /// Reads detector rows `rows` of the frames `frames` (ascending) into `buffer`, laid out (frames, rows,
    /// columns) as float32, one hyperslab read per run of consecutive frames. uint16 frames are read as they are
    /// through `scratch`, as many frames at a time as it holds (at least one frame's rows), and widened by
    /// `widen` (whole frames of the slab at a time, into the matching part of `buffer`; by default a plain
    /// conversion, faster than HDF5's); other types are converted by HDF5 and need no scratch.
    public func read(frames: [Int], rows: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>,
                     scratch: UnsafeMutableBufferPointer<UInt16>,
                     widen: (UnsafeBufferPointer<UInt16>, UnsafeMutableBufferPointer<Float>) -> Void = Self.widen)
        throws(FormatError) {
        let plane = rows.count * columns
        guard rows.lowerBound >= 0, rows.upperBound <= self.rows else {
            throw FormatError(file: path, message: "rows \(rows) outside the \(self.rows) of \(paths.data)")
        }
        guard buffer.count == frames.count * plane, !needsScratch || scratch.count >= plane else {
            throw FormatError(file: path, message: "a buffer of \(buffer.count) values for \(frames.count) frames "
                              + "of \(plane) pixels")
        }
        if let mapping {
            // The rows of each frame lie together in its storage: widen them in place.
            let skip = rows.lowerBound * columns * 2
            for (n, frame) in frames.enumerated() {
                let raw = mapping.address(frame, byte: skip).assumingMemoryBound(to: UInt16.self)
                widen(UnsafeBufferPointer(start: raw, count: plane),
                      UnsafeMutableBufferPointer(rebasing: buffer[n * plane..<(n + 1) * plane]))
                // The whole frame: a fault may map all of a large page-cache folio, not only the rows read.
                mapping.release(frame)
            }
            return
        }
        do {
            let file = try File.open(path)
            defer { try? file.close() }
            let ds = try file.openDataset(paths.data)
            var start = 0
            let step = readsRaw ? scratch.count / plane : Int.max
            for run in Self.runs(frames) {
                for first in stride(from: run.lowerBound, to: run.upperBound, by: step) {
                    let count = min(step, run.upperBound - first)
                    let n = count * plane
                    let offset = [first, rows.lowerBound, 0], extent = [count, rows.count, columns]
                    if readsRaw {
                        let raw = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
                        try ds.read(into: raw, offset: offset, count: extent)
                        widen(UnsafeBufferPointer(raw), UnsafeMutableBufferPointer(rebasing: buffer[start..<start + n]))
                    } else {
                        try ds.read(into: UnsafeMutableBufferPointer(rebasing: buffer[start..<start + n]),
                                    offset: offset, count: extent)
                    }
                    start += n
                }
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "reading rows \(rows) of \(paths.data): \(error)")
        }
    }

    /// uint16 to float32, value for value.
    public static func widen(_ raw: UnsafeBufferPointer<UInt16>, into values: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<raw.count { values[i] = Float(raw[i]) }
    }

    /// The mean of the flat or dark frames over detector rows `rows`, (rows, columns), accumulated in double.
    public func meanFrames(_ kind: FrameKind, rows: Range<Int>) throws(FormatError) -> [Float] {
        let frames = kind == .flat ? flatFrames : darkFrames
        let plane = rows.count * columns
        guard !frames.isEmpty else { return [] }
        var values = [Float](repeating: 0, count: frames.count * plane)
        var scratch = [UInt16](repeating: 0, count: needsScratch ? frames.count * plane : 0)  // flats are few
        try values.withUnsafeMutableBufferPointer { (v) throws(FormatError) in
            try scratch.withUnsafeMutableBufferPointer { (s) throws(FormatError) in
                try read(frames: frames, rows: rows, into: v, scratch: s)
            }
        }
        var sum = [Double](repeating: 0, count: plane)
        for f in 0..<frames.count {
            for p in 0..<plane { sum[p] += Double(values[f * plane + p]) }
        }
        let n = Double(frames.count)
        return sum.map { Float($0 / n) }
    }
}
