import Core
import Foundation

/// The detector images of a merge: every `.tif`/`.tiff` under a directory, recursively, in sorted relative-path
/// order, leaving out `Pil100k` folders as SAXSDog does (a second detector's images), with the detector's `.log`
/// files found on the way (``DetectorLog``).
public enum ImageScan {
    /// Folders whose images are not part of the merge.
    public static let skippedFolders: Set<String> = ["Pil100k"]

    /// The images under `directory`, read in time order.
    /// - Throws: ``ConfigError`` naming the directory when it holds no images, or the image whose header is
    ///   incomplete.
    public static func images(in directory: String, stamp: ImageRecord.Stamp) throws(ConfigError) -> [ImageRecord] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(key: directory, "no such directory")
        }
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw ConfigError(key: directory, "cannot list the directory")
        }
        var paths: [String] = [], logs: [String] = []
        while let relative = walker.nextObject() as? String {
            let components = relative.split(separator: "/").map(String.init)
            if components.dropLast().contains(where: skippedFolders.contains) { continue }
            let suffix = (relative as NSString).pathExtension.lowercased()
            if suffix == "tif" || suffix == "tiff" { paths.append(relative) }
            // Under `results/` (integration outputs) only images count, as in SAXSDog.
            if suffix == "log" && !components.dropLast().contains("results") { logs.append(relative) }
        }
        var log = DetectorLog()
        for relative in logs.sorted() { try log.read(directory + "/" + relative) }
        guard !paths.isEmpty else { throw ConfigError(key: directory, "no images (.tif, .tiff) in the directory or below it") }
        var records: [ImageRecord] = []
        for relative in paths.sorted() {
            records.append(try ImageRecord.tiff(directory + "/" + relative, relative: relative, stamp: stamp, log: log))
        }
        // Stable: images of one time keep their path order.
        return records.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
    }
}
