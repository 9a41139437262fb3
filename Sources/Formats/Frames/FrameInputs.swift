import Core
import Foundation
import POSIX

/// The frames of a run's inputs, in order: files of the registered ``FrameFormat``s (one frame or many each),
/// directories of them and `@list` files.
public struct FrameInputs: Sendable {
    /// The input files, opened.
    public let files: [any FrameFile]
    /// Per frame: its file and its index within it.
    public let frames: [(file: Int, index: Int)]
    /// Per file, the folder of the input that named it: the directory given for the files found in it, the
    /// file's own folder for a file given by name.
    public let inputFolders: [String]

    /// The number of frames.
    public var count: Int { frames.count }

    /// Expands the command line's inputs: files of a registered format (frames at `dataPath` or a known location
    /// where the format has datasets), directories (their files of formats listed in directories, sorted by their
    /// path relative to the directory; with `recursive`, those of every sub-directory too; with `pattern`, only
    /// file names matching that shell wildcard) and `@list` files naming one input per line (relative to the
    /// list's directory; `#` comments).
    /// - Throws: ``FormatError`` naming the input at fault.
    public init(_ inputs: [String], dataPath: String?, recursive: Bool = false, pattern: String? = nil,
                formats: [FrameFormat] = FrameFormat.registered) throws(FormatError) {
        var files: [any FrameFile] = []
        var frames: [(file: Int, index: Int)] = []
        var folders: [String] = []
        func append(_ file: any FrameFile, folder: String? = nil) {
            files.append(file)
            folders.append(folder ?? PathName.parent(file.path))
            for i in 0..<file.frameCount { frames.append((files.count - 1, i)) }
        }
        func add(_ path: String, fromList: Bool) throws(FormatError) {
            if path.hasPrefix("@") && !fromList {
                let list = String(path.dropFirst())
                guard let text = try? String(contentsOfFile: list, encoding: .utf8) else {
                    throw FormatError(file: list, message: "cannot read the list of inputs")
                }
                let base = PathName.parent(list)
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
                let listed = formats.filter(\.listedInDirectories)
                let names = Self.listing(path, recursive: recursive).filter { name in
                    let file = (name as NSString).lastPathComponent
                    return FrameFormat.of(file, among: listed) != nil
                        && pattern.map { FileSystem.matches(file, pattern: $0) } ?? true
                }
                guard !names.isEmpty else {
                    throw FormatError(file: path, message: "the directory holds no "
                                      + listed.map(\.name).joined(separator: " or ") + " frames"
                                      + (pattern.map { " named like '\($0)'" } ?? "")
                                      + (recursive ? " (searched recursively)" : ""))
                }
                for name in names {
                    try append(FrameFormat.of(name, among: listed)!.open(path + "/" + name, dataPath), folder: path)
                }
                return
            }
            guard let format = FrameFormat.of(path, among: formats) else {
                let known = formats.map { f in
                    f.name + " " + f.extensions.sorted().map { "." + $0 }.joined(separator: "/")
                }
                throw FormatError(file: path, message: "unknown input type (" + known.joined(separator: ", ")
                                  + ", a directory, or @list)")
            }
            try append(format.open(path, dataPath))
        }
        for input in inputs { try add(input, fromList: false) }
        guard !frames.isEmpty else { throw FormatError(file: nil, message: "no input frames") }
        self.files = files
        inputFolders = folders
        self.frames = frames
    }

    /// The paths of the entries of directory `path` relative to it, sorted: its entries, or with `recursive` the
    /// files of it and of all its sub-directories.
    static func listing(_ path: String, recursive: Bool) -> [String] {
        let manager = FileManager.default
        guard recursive else { return ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted() }
        var files: [String] = []
        guard let walk = manager.enumerator(atPath: path) else { return [] }
        while let entry = walk.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path + "/" + entry, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(entry)
            }
        }
        // Swift's string order (by Unicode scalars, no locale): the same on every machine.
        return files.sorted()
    }

    /// The file holding frame `frame`.
    public func file(of frame: Int) -> any FrameFile { files[frames[frame].file] }

    /// The image size of the first frame.
    public func firstFrameSize() throws(FormatError) -> (rows: Int, columns: Int) {
        try file(of: 0).frameSize()
    }

    /// What frame `frame` is, the same whatever other inputs there are and wherever the run starts: its file's
    /// absolute path, with `#index` for files of many frames.
    public func frameKey(_ frame: Int) -> String {
        let file = file(of: frame)
        return Self.absolute(file.path) + (file.frameCount > 1 ? "#\(frames[frame].index)" : "")
    }

    /// `path` made absolute against the working directory, with `.`, `..` and repeated slashes resolved.
    public static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (full as NSString).standardizingPath
    }

    /// A name per frame for per-frame files: the file's stem, with the frame number for files of many frames.
    public func frameName(_ frame: Int) -> String {
        file(of: frame).frameName(frames[frame].index)
    }
}
