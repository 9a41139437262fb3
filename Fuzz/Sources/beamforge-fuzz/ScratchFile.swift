import Foundation

/// One file per fuzzing process for the parsers that read a path (libtiff, HDF5, the configuration loader), in
/// /dev/shm when it exists so that each input costs no disk write.
enum ScratchFile {
    private static let directory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/beamforge-fuzz-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: ScratchFile.directory) }
        return path
    }()

    /// Writes `data` to a file named `name` in the scratch folder and returns its path.
    static func write(_ data: Data, name: String) -> String {
        let path = directory + "/" + name
        FileManager.default.createFile(atPath: path, contents: data)
        return path
    }
}
