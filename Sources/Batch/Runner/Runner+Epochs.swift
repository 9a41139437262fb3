import Foundation

/// What a run made of epochs (`integrate --watch`: one ``Runner/run(_:)`` per epoch, the first fresh, the others
/// `--update`s adding the epoch's new items) needs of the runner beside ``Runner/run(_:)``.
extension Runner {
    /// The item keys of the complete output `<directory>/<job>.h5` in item order (`/progress/keys`), or nil when
    /// there is no complete output. Rank 0 (reads the file).
    /// - Throws: ``BatchError`` when the output exists but records no keys or cannot be read.
    public static func completeKeys(directory: String, job: String) throws -> [String]? {
        let path = directory + "/" + job + ".h5"
        guard Files.exists(path) else { return nil }
        let file = try JobOutputFile(path: path, job: job)
        defer { try? file.close() }
        return try file.strings(at: itemKeysPath)
    }

    /// Removes the `.partial` output and metadata spools an interrupted epoch left in `directory`: the epoch is
    /// redone from the complete output (an update leaves that output untouched until it is replaced). Rank 0.
    public static func discardInterrupted(directory: String, job: String, metadataFileName: String = "meta.csv") {
        let paths = OutputPaths(directory: directory, job: job, metadataFileName: metadataFileName)
        for path in [paths.partial, paths.spool] + MetadataSpool.rankSpools(of: paths.spool) { Files.remove(path) }
    }
}
