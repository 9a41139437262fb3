import Foundation
import Integration
import LibTIFF
import POSIX
import Testing

/// The watch's readiness machine with a clock the test moves: a complete frame is handed out once, a truncated one
/// waits and is rejected after the ready timeout, a frame of another size at once, other files never.
@Suite struct FrameWatcherTests {
    final class Clock: @unchecked Sendable {
        var now = 100.0
    }

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "watcher-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func frame(_ path: String, rows: Int = 4, columns: Int = 6) throws {
        try TIFF.write([UInt16](repeating: 7, count: rows * columns), rows: rows, columns: columns, to: path)
    }

    static func watcher(_ folder: String, clock: Clock, poll: Double? = 0.5) throws -> FrameWatcher {
        var settings = WatchSettings(directory: folder)
        settings.poll = poll
        settings.settle = 0.2
        settings.readyTimeout = 5
        settings.recursive = true
        return try FrameWatcher(settings: settings, dataPath: nil, size: (4, 6)) { clock.now }
    }

    @Test func readyOnceTruncatedRejectedAfterTimeoutOtherSizeAtOnce() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.frame(dir + "/a.tif")
        try Self.frame(dir + "/wide.tif", columns: 8)
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.tif"))
        try whole.prefix(whole.count - 10).write(to: URL(fileURLWithPath: dir + "/t.tif"))
        try Data("notes".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        let clock = Clock()
        let watcher = try Self.watcher(dir, clock: clock)

        // Nothing before the files have settled.
        var look = watcher.look()
        #expect(look.ready.isEmpty && look.rejected.isEmpty && watcher.waitingCount == 3)
        clock.now += 0.3
        look = watcher.look()
        #expect(look.ready == [dir + "/a.tif"])
        #expect(look.rejected.map(\.path) == [dir + "/wide.tif"])
        #expect(look.rejected.first?.reason.contains("Imagesize") == true)
        #expect(watcher.waitingCount == 1)  // t.tif: truncated, tried again
        clock.now += 2
        #expect(watcher.look().ready.isEmpty)
        clock.now += 3
        look = watcher.look()
        #expect(look.rejected.map(\.path) == [dir + "/t.tif"] && watcher.waitingCount == 0)
        // Never again, even when polled later or rewritten.
        try Self.frame(dir + "/a.tif")
        clock.now += 1
        #expect(watcher.look().ready.isEmpty && watcher.waitingCount == 0)
    }

    @Test func pollingFindsFilesInNewFoldersAndSkipsThoseDone() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.frame(dir + "/done.tif")
        let clock = Clock()
        var settings = WatchSettings(directory: dir)
        settings.poll = 1
        settings.recursive = true
        let watcher = try FrameWatcher(settings: settings, dataPath: nil, size: (4, 6), skip: [dir + "/done.tif"]) { clock.now }
        #expect(watcher.mode.hasPrefix("polling"))
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try Self.frame(dir + "/sub/b.tif")
        clock.now += 0.5
        #expect(watcher.look().ready.isEmpty)  // no walk before the poll interval
        clock.now += 0.6
        _ = watcher.look()  // walked: seen, settling
        clock.now += 0.3
        #expect(watcher.look().ready == [dir + "/sub/b.tif"])
    }

    @Test func inotifyReportsClosedAndRenamedFilesAndNewFolders() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let events = try DirectoryEvents()
        try events.watch(dir)
        try Self.frame(dir + "/a.tif")
        try Self.frame(dir + "/b.tmp")
        try FileSystem.rename(dir + "/b.tmp", to: dir + "/b.tif")
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        #expect(events.wait(milliseconds: 1000))
        let seen = events.drain()
        #expect(seen.contains(.init(path: dir + "/a.tif", kind: .finished)))
        #expect(seen.contains(.init(path: dir + "/b.tif", kind: .finished)))
        #expect(seen.contains(.init(path: dir + "/sub", kind: .folder)))
        #expect(events.drain().isEmpty && !events.wait(milliseconds: 10))
    }

    @Test func networkedFileSystemsFromTheMountTable() {
        let mounts = """
            /dev/sda1 / ext4 rw 0 0
            server:/export /data nfs4 rw 0 0
            gpfs0 /gpfs gpfs rw 0 0
            sshfs#x /mnt/my\\040dir fuse.sshfs rw 0 0
            tmpfs /data/local tmpfs rw 0 0
            """
        #expect(FileSystem.networkedType("/data/run1", mounts: mounts) == "nfs4")
        #expect(FileSystem.networkedType("/gpfs/beamline", mounts: mounts) == "gpfs")
        #expect(FileSystem.networkedType("/mnt/my dir/x", mounts: mounts) == "fuse.sshfs")
        #expect(FileSystem.networkedType("/data/local/x", mounts: mounts) == nil)  // the deeper mount wins
        #expect(FileSystem.networkedType("/home/x", mounts: mounts) == nil)
        #expect(FileSystem.networkedType("/dataset", mounts: mounts) == nil)  // a prefix, not a folder below
    }

    @Test func settingsNameTheFlagAtFault() {
        var settings = WatchSettings(directory: "/x")
        settings.untilIdle = 5
        settings.maxFrames = 3
        #expect(throws: (any Error).self) { try settings.validate() }
        settings = WatchSettings(directory: "/x")
        settings.readyTimeout = 0
        do { try settings.validate(); Issue.record("accepted --ready-timeout 0") } catch {
            #expect("\(error)".contains("--ready-timeout"))
        }
    }
}
