import Core
import Foundation

extension FrameInputs {
    /// The frames of the files `paths`, in that order, all counted as found in `folder` (the directory a watch
    /// reads), so that `.chi` files mirror the files' places below `folder` however many of them there are yet. No files
    /// gives no frames (a watch's job before the first frame, whose matrices are built up front).
    /// - Throws: ``FormatError`` naming a file of no registered format or one that cannot be opened.
    public init(files paths: [String], folder: String, dataPath: String?,
                formats: [FrameFormat] = FrameFormat.registered) throws(FormatError) {
        var files: [any FrameFile] = []
        var frames: [(file: Int, index: Int)] = []
        for path in paths {
            guard let format = FrameFormat.of(path, among: formats) else {
                throw FormatError(file: path, message: "unknown input type")
            }
            let file = try format.open(path, dataPath)
            files.append(file)
            for i in 0..<file.frameCount { frames.append((files.count - 1, i)) }
        }
        self.files = files
        self.frames = frames
        inputFolders = paths.map { _ in folder }
    }
}
