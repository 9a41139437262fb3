import Core
import Foundation

/// A registered frame file format: the extensions it is recognised by and how a file of it is opened.
public struct FrameFormat: Sendable {
    /// A name for messages, e.g. "TIFF".
    public let name: String
    /// Lower-case file extensions, without the dot.
    public let extensions: Set<String>
    /// Whether a directory given as an input contributes its files of this format (sorted by name).
    public let listedInDirectories: Bool
    /// Opens `path`; `dataPath` is the frames' dataset where the format has datasets.
    public let open: @Sendable (_ path: String, _ dataPath: String?) throws(FormatError) -> any FrameFile

    public init(name: String, extensions: Set<String>, listedInDirectories: Bool,
                open: @escaping @Sendable (_ path: String, _ dataPath: String?) throws(FormatError) -> any FrameFile) {
        self.name = name
        self.extensions = extensions
        self.listedInDirectories = listedInDirectories
        self.open = open
    }

    /// Every frame format inputs are read in: one line per format.
    public static let registered: [FrameFormat] = [
        SingleFrameTIFF.format,
        FrameStack.format,
        EDFFrames.format,
    ]

    /// The format among `formats` (the registered ones by default) that `path`'s extension names.
    public static func of(_ path: String, among formats: [FrameFormat] = registered) -> FrameFormat? {
        let ext = (path as NSString).pathExtension.lowercased()
        return formats.first { $0.extensions.contains(ext) }
    }
}
