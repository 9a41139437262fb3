import Core
import Foundation
import Logging

/// The files a watch keeps in its output directory beside `integrated.h5` and `meta.csv`, rank 0 only:
/// - `processed.lst`: the frames handed out, one absolute path a line, in order: `integrate @processed.lst` gives
///   the same output;
/// - `live.jsonl`: one JSON object per epoch (`epoch`, `frames`, `total`, `seconds`, `time`), for live readers
///   (parallel HDF5 cannot be read while it is written);
/// - `rejected.csv`: `path,reason` of frames never readable within `--ready-timeout` (or of another size).
struct WatchFiles {
    let directory: String
    var processedList: String { directory + "/processed.lst" }
    var liveLog: String { directory + "/live.jsonl" }
    var rejectedTable: String { directory + "/rejected.csv" }

    /// Starts the files over: `processed` (an earlier watch's frames, for `--resume`) as the list, an empty log
    /// and table for a fresh start (kept, to be appended to, on resume).
    func restart(processed: [String]) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(processed.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: processedList), options: .atomic)
        if processed.isEmpty {
            try Data().write(to: URL(fileURLWithPath: liveLog))
            try Data("path,reason\n".utf8).write(to: URL(fileURLWithPath: rejectedTable))
        } else if !FileManager.default.fileExists(atPath: rejectedTable) {
            try Data("path,reason\n".utf8).write(to: URL(fileURLWithPath: rejectedTable))
        }
    }

    /// Records a finished epoch.
    func record(epoch: Int, frames: [String], total: Int, seconds: Double) {
        append(frames.map { $0 + "\n" }.joined(), to: processedList)
        let entry: [String: Any] = ["epoch": epoch, "frames": frames, "total": total,
                                    "seconds": (seconds * 1000).rounded() / 1000,
                                    "time": Date().timeIntervalSince1970]
        if let json = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) {
            append(String(decoding: json, as: UTF8.self) + "\n", to: liveLog)
        }
    }

    /// Records rejected frames, one log line each.
    func reject(_ rows: [(path: String, reason: String)], logger: Logger) {
        for row in rows {
            logger.warning("rejected \(row.path): \(row.reason)")
            append(CSV.row([row.path, row.reason]) + "\n", to: rejectedTable)
        }
    }

    private func append(_ text: String, to path: String) {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        handle.write(Data(text.utf8))
    }
}
