import Core
import HDF5

/// Where a NeXus tomography scan keeps its frames, image keys and angles (DLS NXtomo defaults; docs/reference/tomography.md §7.1).
public struct ScanPaths: Sendable, Equatable {
    /// The frames dataset (frames, rows, columns).
    public var data = "/entry1/tomo_entry/data/data"
    /// 0 projection, 1 flat, 2 dark (NXtomo `image_key`).
    public var imageKey = "/entry1/tomo_entry/instrument/detector/image_key"
    /// The rotation angles in degrees, one per frame or one per projection.
    public var angles = "/entry1/tomo_entry/data/rotation_angle"

    /// The DLS NXtomo defaults.
    public init() {}
}

/// A tomography scan in a NeXus/HDF5 file, read slab by slab: the frames dataset (frames, rows, columns) of
/// uint16 or float values, its image keys and rotation angles. HDF5 external links are followed (the frames of
/// a real scan usually live in a linked detector file, found beside the scan file).
///
/// Nothing but the keys and angles is read when the scan is opened: ``read(frames:rows:into:)``,
/// ``readSinograms(frames:rows:into:)`` and ``meanFrames(_:rows:)`` read only the detector rows asked for, so no
/// process ever holds the whole volume.
public struct TomoScan: Sendable {
    /// A frame's NXtomo image key, choosing the frames ``meanFrames(_:rows:)`` averages.
    public enum FrameKind: Int, Sendable { case projection = 0, flat = 1, dark = 2 }

    /// The scan file's path.
    public let path: String
    /// Where the datasets are looked for in the file.
    public let paths: ScanPaths
    /// (frames, rows, columns) of the frames dataset.
    public let shape: [Int]
    /// The frames dataset's element type, e.g. `uint16`.
    public let elementType: String
    /// The frame indices of each kind, ascending.
    public let projectionFrames: [Int]
    /// The flat-field frame indices, ascending.
    public let flatFrames: [Int]
    /// The dark-field frame indices, ascending.
    public let darkFrames: [Int]
    /// The rotation angle of each projection (degrees), when the file has them.
    public let angles: [Double]?
    /// Whether the file has no image keys and every frame was taken as a projection.
    public let keysMissing: Bool
    private let readsRaw: Bool
    /// uint16 frames stored whole (contiguously or one per chunk, unfiltered), read without HDF5: only the rows
    /// wanted of each frame (HDF5 reads a chunk whole), copied straight into the caller's buffer.
    private let direct: DirectFrames?

    /// The most frames a scan may declare: 10^7 (a day of 100 Hz projections; real scans hold 10^3 to 10^5).
    public static let maximumFrames = 10_000_000

    /// Detector rows per frame.
    public var rows: Int { shape[1] }
    /// Detector columns per frame.
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
        // Keys and angles are read whole, sized by the frame count: a header may declare any count in a few bytes.
        guard data.shape[0] <= Self.maximumFrames else {
            throw FormatError(file: path, message: "dataset \(paths.data) declares \(data.shape[0]) frames, more than "
                              + "the \(Self.maximumFrames) a scan may have")
        }
        shape = data.shape
        elementType = data.type.description
        readsRaw = data.type == .uint16
        direct = readsRaw ? DirectFrames(data, alignment: 2) : nil
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
            guard angleData.shape == [frames] || angleData.shape == [projectionFrames.count] else {
                throw FormatError(file: path, message: "angles \(paths.angles) have shape \(angleData.shape) for "
                                  + "\(frames) frames (\(projectionFrames.count) projections)")
            }
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

    /// Whether frames are stored as uint16: read them as counts with ``readSinograms(frames:rows:into:)``, or
    /// widened by ``read(frames:rows:into:)``.
    public var storesUInt16: Bool { readsRaw }

    /// Reads detector rows `rows` of the uint16 frames `frames` (ascending) as stored, laid out (rows, frames,
    /// columns) in `buffer`: one contiguous sinogram per row. Frames stored whole are scattered into place by the
    /// read itself (`preadv`); others are read through HDF5 a megabyte at a time and copied into place.
    public func readSinograms(frames: [Int], rows: Range<Int>, into buffer: inout MutableSpan<UInt16>)
        throws(FormatError) {
        try buffer.withUnsafeMutableBufferPointer { (buffer) throws(FormatError) in
            try readSinograms(frames: frames, rows: rows, intoBuffer: buffer)
        }
    }

    /// ``readSinograms(frames:rows:into:)`` into `buffer`'s memory.
    private func readSinograms(frames: [Int], rows: Range<Int>, intoBuffer buffer: UnsafeMutableBufferPointer<UInt16>)
        throws(FormatError) {
        guard readsRaw else {
            throw FormatError(file: path, message: "\(paths.data) holds \(elementType), not uint16 counts")
        }
        try check(rows: rows, buffer: buffer.count, frames: frames.count)
        let (F, R, X) = (frames.count, rows.count, columns)
        /// Where row j of the n-th frame goes.
        func line(_ j: Int, _ n: Int) -> UnsafeMutablePointer<UInt16> { buffer.baseAddress! + (j * F + n) * X }
        if let direct {
            let bytes = rows.lowerBound * X * 2..<rows.upperBound * X * 2
            for (n, frame) in frames.enumerated() {
                try direct.read(frame, bytes: bytes, into: (0..<R).map {
                    UnsafeMutableRawBufferPointer(start: line($0, n), count: X * 2)
                })
            }
            return
        }
        try forEachCountBlock(frames: frames, rows: rows) { first, counts in
            for j in 0..<R {
                for k in 0..<counts.count / (R * X) {
                    line(j, first + k).update(from: counts.baseAddress! + (k * R + j) * X, count: X)
                }
            }
        }
    }

    /// Reads detector rows `rows` of the frames `frames` (ascending) into `buffer`, laid out (frames, rows,
    /// columns) as float32: uint16 frames as stored a megabyte at a time, then widened (faster than HDF5's
    /// conversion); other types converted by HDF5, one hyperslab read per run of consecutive frames.
    public func read(frames: [Int], rows: Range<Int>, into buffer: inout MutableSpan<Float>) throws(FormatError) {
        try buffer.withUnsafeMutableBufferPointer { (buffer) throws(FormatError) in
            try read(frames: frames, rows: rows, intoBuffer: buffer)
        }
    }

    /// ``read(frames:rows:into:)`` into `buffer`'s memory.
    private func read(frames: [Int], rows: Range<Int>, intoBuffer buffer: UnsafeMutableBufferPointer<Float>)
        throws(FormatError) {
        try check(rows: rows, buffer: buffer.count, frames: frames.count)
        guard readsRaw else {
            return try withFrames(reading: rows) { try readHyperslabs($0, frames: frames, rows: rows, into: buffer) }
        }
        let plane = rows.count * columns
        try forEachCountBlock(frames: frames, rows: rows) { first, counts in
            let out = buffer.baseAddress! + first * plane
            for i in 0..<counts.count { out[i] = Float(counts[i]) }
        }
    }

    private func check(rows: Range<Int>, buffer count: Int, frames: Int) throws(FormatError) {
        guard rows.lowerBound >= 0, rows.upperBound <= self.rows else {
            throw FormatError(file: path, message: "rows \(rows) outside the \(self.rows) of \(paths.data)")
        }
        guard count == frames * rows.count * columns else {
            throw FormatError(file: path, message: "a buffer of \(count) values for \(frames) frames of "
                              + "\(rows.count * columns) pixels")
        }
    }

    /// Reads detector rows `rows` of the uint16 frames `frames` (ascending) as stored, about a megabyte of frames
    /// at a time (straight from the file when frames are stored whole, else through HDF5, the file opened once),
    /// and calls `body(first, counts)` with frames `first..<first + n` laid out (frames, rows, columns).
    private func forEachCountBlock(frames: [Int], rows: Range<Int>,
                                   _ body: (_ first: Int, _ counts: UnsafeBufferPointer<UInt16>) -> Void)
        throws(FormatError) {
        let plane = rows.count * columns
        let step = max(1, (1 << 19) / max(1, plane))
        var scratch = [UInt16](repeating: 0, count: min(step, frames.count) * plane)
        /// Reads each block of frames into the scratch with `read(frames, block)` and hands it to `body`.
        func blocks<E: Error>(_ read: ([Int], UnsafeMutableBufferPointer<UInt16>) throws(E) -> Void) throws(E) {
            try scratch.withUnsafeMutableBufferPointer { (s) throws(E) in
                for first in stride(from: 0, to: frames.count, by: step) {
                    let block = UnsafeMutableBufferPointer(rebasing: s[0..<min(step, frames.count - first) * plane])
                    try read(Array(frames[first..<first + block.count / plane]), block)
                    body(first, UnsafeBufferPointer(block))
                }
            }
        }
        guard let direct else {
            return try withFrames(reading: rows) { data in
                try blocks { try readHyperslabs(data, frames: $0, rows: rows, into: $1) }
            }
        }
        // The rows of each frame lie together in its storage.
        let bytes = rows.lowerBound * columns * 2..<rows.upperBound * columns * 2
        try blocks { (frames, block) throws(FormatError) in
            for (n, frame) in frames.enumerated() {
                let target = UnsafeMutableRawBufferPointer(start: block.baseAddress! + n * plane, count: bytes.count)
                try direct.read(frame, bytes: bytes, into: [target])
            }
        }
    }

    /// Runs `body` with the frames dataset open; its errors are reported as failing to read `rows`.
    private func withFrames<Result>(reading rows: Range<Int>,
                                    _ body: (Dataset) throws -> Result) throws(FormatError) -> Result {
        do {
            let file = try File.open(path)
            defer { try? file.close() }
            return try body(try file.openDataset(paths.data))
        } catch {
            throw FormatError(file: path, message: "reading rows \(rows) of \(paths.data): \(error)")
        }
    }

    /// Reads rows `rows` of `frames` from `data` (converted to `T`), laid out (frames, rows, columns): one
    /// hyperslab read per run of consecutive frames.
    private func readHyperslabs<T: NumericElement>(_ data: Dataset, frames: [Int], rows: Range<Int>,
                                                into buffer: UnsafeMutableBufferPointer<T>) throws {
        let plane = rows.count * columns
        var position = 0
        for run in Self.runs(frames) {
            let part = UnsafeMutableBufferPointer(rebasing: buffer[position * plane..<(position + run.count) * plane])
            var span = part.mutableSpan
            try data.read(into: &span, offset: [run.lowerBound, rows.lowerBound, 0],
                          count: [run.count, rows.count, columns])
            position += run.count
        }
    }

    /// The mean of the flat or dark frames over detector rows `rows`, (rows, columns), accumulated in double.
    public func meanFrames(_ kind: FrameKind, rows: Range<Int>) throws(FormatError) -> [Float] {
        let frames = kind == .flat ? flatFrames : darkFrames
        let plane = rows.count * columns
        guard !frames.isEmpty else { return [] }
        var values = [Float](repeating: 0, count: frames.count * plane)
        try values.withUnsafeMutableBufferPointer { (v) throws(FormatError) in
            try read(frames: frames, rows: rows, intoBuffer: v)
        }
        var sum = [Double](repeating: 0, count: plane)
        for f in 0..<frames.count {
            for p in 0..<plane { sum[p] += Double(values[f * plane + p]) }
        }
        let n = Double(frames.count)
        return sum.map { Float($0 / n) }
    }
}
