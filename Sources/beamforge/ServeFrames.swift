import Foundation
import Formats
import POSIX

/// Which files `serve` takes as frames, and the walk of `readdir`.
enum ServeFrames {
    /// A frame format read from directories (TIFF, EDF, HDF5/NeXus), matching `pattern` when given.
    static func accepts(_ name: String, pattern: String?) -> Bool {
        FrameFormat.of(name, among: FrameFormat.registered.filter(\.listedInDirectories)) != nil
            && pattern.map { FileSystem.matches(name, pattern: $0) } ?? true
    }

    /// Every file below `directory` (sub-folders too), sorted by path.
    static func walk(_ directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }
}
