import Core
import Formats
import Foundation
import LibTIFF

/// The frames to integrate, in order: TIFF files (one frame each) and HDF5/NeXus stacks (many frames each).
public struct FrameInputs: Sendable {
    /// An input file: a TIFF frame or a stack of frames.
    public enum Source: Sendable {
        case tiff(String)
        case stack(FrameStack)

        public var path: String {
            switch self {
            case .tiff(let path): path
            case .stack(let stack): stack.path
            }
        }
    }

    public let sources: [Source]
    /// Per frame: its source and its index within it.
    public let frames: [(source: Int, index: Int)]

    public var count: Int { frames.count }

    /// File extensions read as HDF5.
    public static let hdf5Extensions: Set<String> = ["h5", "hdf5", "hdf", "nxs", "nx5", "nexus", "cxi"]
    public static let tiffExtensions: Set<String> = ["tif", "tiff"]

    /// Expands the command line's inputs: TIFF files, HDF5/NeXus files (frames at `dataPath` or a known
    /// location), directories (their TIFF files, sorted by name) and `@list` files naming one input per line.
    /// - Throws: ``FormatError`` naming the input at fault.
    public init(_ inputs: [String], dataPath: String?) throws(FormatError) {
        var sources: [Source] = []
        var frames: [(source: Int, index: Int)] = []
        func add(_ path: String, fromList: Bool) throws(FormatError) {
            if path.hasPrefix("@") && !fromList {
                let list = String(path.dropFirst())
                guard let text = try? String(contentsOfFile: list, encoding: .utf8) else {
                    throw FormatError(file: list, message: "cannot read the list of inputs")
                }
                let base = (list as NSString).deletingLastPathComponent
                for line in text.split(whereSeparator: \.isNewline) {
                    let entry = line.trimmingCharacters(in: .whitespaces)
                    if entry.isEmpty || entry.hasPrefix("#") { continue }
                    try add(entry.hasPrefix("/") || base.isEmpty ? entry : base + "/" + entry, fromList: true)
                }
                return
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw FormatError(file: path, message: "no such file or directory")
            }
            if isDirectory.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                    .filter { Self.tiffExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
                guard !names.isEmpty else { throw FormatError(file: path, message: "the directory holds no TIFF frames") }
                for name in names {
                    sources.append(.tiff(path + "/" + name))
                    frames.append((sources.count - 1, 0))
                }
                return
            }
            let ext = (path as NSString).pathExtension.lowercased()
            if Self.hdf5Extensions.contains(ext) {
                let stack = try FrameStack(path: path, dataset: dataPath)
                guard stack.frameCount > 0 else { throw FormatError(file: path, message: "\(stack.dataset) holds no frames") }
                sources.append(.stack(stack))
                for i in 0..<stack.frameCount { frames.append((sources.count - 1, i)) }
            } else if Self.tiffExtensions.contains(ext) {
                sources.append(.tiff(path))
                frames.append((sources.count - 1, 0))
            } else {
                throw FormatError(file: path, message: "unknown input type (TIFF .tif/.tiff, HDF5 "
                                  + Self.hdf5Extensions.sorted().map { "." + $0 }.joined(separator: "/")
                                  + ", a directory, or @list)")
            }
        }
        for input in inputs { try add(input, fromList: false) }
        guard !frames.isEmpty else { throw FormatError(file: nil, message: "no input frames") }
        self.sources = sources
        self.frames = frames
    }

    /// The image size of the first frame.
    public func firstFrameSize() throws(FormatError) -> (rows: Int, columns: Int) {
        switch sources[frames[0].source] {
        case .tiff(let path): return try TIFF.size(of: path)
        case .stack(let stack): return (stack.rows, stack.columns)
        }
    }

    /// Checks every stack against the calibration's image size (TIFF files are checked as they are read).
    public func checkShapes(rows: Int, columns: Int) throws(FormatError) {
        for case .stack(let stack) in sources where stack.rows != rows || stack.columns != columns {
            throw FormatError(file: stack.path, message: "frames of \(stack.dataset) are \(stack.rows) × "
                              + "\(stack.columns) pixels; the calibration's Imagesize is \(rows) × \(columns)")
        }
    }

    /// A name per frame for per-frame files: the TIFF's stem, or the stack's stem and the frame number.
    public func frameName(_ frame: Int) -> String {
        let (source, index) = frames[frame]
        let stem = ((sources[source].path as NSString).lastPathComponent as NSString).deletingPathExtension
        switch sources[source] {
        case .tiff: return stem
        case .stack: return stem + "_" + String(format: "%05d", index)
        }
    }
}
