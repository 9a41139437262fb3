import Core
import Foundation

/// The frames of a run's inputs, in order: files of the registered ``FrameFormat``s (one frame or many each),
/// directories of them and `@list` files.
public struct FrameInputs: Sendable {
    /// The input files, opened.
    public let files: [any FrameFile]
    /// Per frame: its file and its index within it.
    public let frames: [(file: Int, index: Int)]

    /// The number of frames.
    public var count: Int { frames.count }

    /// Expands the command line's inputs: files of a registered format (frames at `dataPath` or a known location
    /// where the format has datasets), directories (their files of formats listed in directories, sorted by name)
    /// and `@list` files naming one input per line (relative to the list's directory; `#` comments).
    /// - Throws: ``FormatError`` naming the input at fault.
    public init(_ inputs: [String], dataPath: String?, formats: [FrameFormat] = FrameFormat.registered)
        throws(FormatError) {
        var files: [any FrameFile] = []
        var frames: [(file: Int, index: Int)] = []
        func append(_ file: any FrameFile) {
            files.append(file)
            for i in 0..<file.frameCount { frames.append((files.count - 1, i)) }
        }
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
                let listed = formats.filter(\.listedInDirectories)
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                    .filter { FrameFormat.of($0, among: listed) != nil }.sorted()
                guard !names.isEmpty else {
                    throw FormatError(file: path, message: "the directory holds no "
                                      + listed.map(\.name).joined(separator: " or ") + " frames")
                }
                for name in names {
                    try append(FrameFormat.of(name, among: listed)!.open(path + "/" + name, dataPath))
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
        self.frames = frames
    }

    /// The file holding frame `frame`.
    public func file(of frame: Int) -> any FrameFile { files[frames[frame].file] }

    /// The image size of the first frame.
    public func firstFrameSize() throws(FormatError) -> (rows: Int, columns: Int) {
        try file(of: 0).frameSize()
    }

    /// The first two frames that share a ``frameName(_:)`` (the same file name in two folders, or a file given
    /// twice), as (file, frame name) of the earlier and the later, or nil when every name is distinct: per-frame
    /// files would overwrite each other.
    public func firstNameClash() -> (first: String, second: String, name: String)? {
        var seen: [String: Int] = [:]
        for frame in 0..<count {
            let name = frameName(frame)
            if let earlier = seen[name] { return (file(of: earlier).path, file(of: frame).path, name) }
            seen[name] = frame
        }
        return nil
    }

    /// A name per frame for per-frame files: the file's stem, with the frame number for files of many frames.
    public func frameName(_ frame: Int) -> String {
        file(of: frame).frameName(frames[frame].index)
    }
}
