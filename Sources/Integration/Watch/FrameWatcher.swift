import Core
import Formats
import Foundation
import POSIX

/// Rank 0's view of a watched directory: which frame files exist, which are ready, which were handed out or
/// rejected. Files are found by a sorted walk at the start, then by inotify events (a file closed after writing or
/// moved in; a new folder is watched and walked) or, on networked file systems or with `--poll`, by walking again
/// every poll interval. Each file is handed out once: the index keeps every path it has seen.
public final class FrameWatcher {
    /// A file not handed out yet.
    struct Waiting {
        var size: Int
        var modified: Date
        /// When its size or time last changed (monotonic seconds).
        var changed: Double
        /// When it was first seen.
        var firstSeen: Double
        /// Its writer closed it or moved it in (an inotify event).
        var finished: Bool
        /// Why it was not ready at the last try.
        var problem: String?
    }

    /// The settings it watches with.
    public let settings: WatchSettings
    /// How files are found: "inotify", or "polling every S s" (with the reason).
    public private(set) var mode: String
    private let events: DirectoryEvents?
    private let root: String
    private let dataPath: String?
    private let size: (rows: Int, columns: Int)
    private let clock: () -> Double
    private var waiting: [String: Waiting] = [:]
    /// Paths handed out or rejected: never considered again.
    private var settled: Set<String>
    private var lastWalk = -Double.infinity

    /// Watches `settings.directory` for frames of `size`; `skip` are files handed out by an earlier run
    /// (`--resume`). `clock` gives monotonic seconds (a test passes its own).
    /// - Throws: ``ConfigError`` naming `--watch` when the directory is missing or cannot be watched.
    public init(settings: WatchSettings, dataPath: String?, size: (rows: Int, columns: Int), skip: Set<String> = [],
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) throws(ConfigError) {
        self.settings = settings
        self.dataPath = dataPath
        self.size = size
        self.clock = clock
        root = FrameInputs.absolute(settings.directory)
        settled = skip
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(key: "--watch", "\(settings.directory) is not a directory")
        }
        if let poll = settings.poll {
            events = nil
            mode = "polling every \(poll) s (--poll)"
        } else if let type = FileSystem.networkedType(root) {
            events = nil
            mode = "polling every \(WatchSettings.defaultPoll) s (\(root) is on \(type), where inotify misses other hosts' writes)"
        } else {
            do { events = try DirectoryEvents() } catch {
                throw ConfigError(key: "--watch", "cannot watch \(settings.directory): inotify: \(error)")
            }
            mode = "inotify"
        }
        // Watches go on before the first walk, so that nothing written in between is missed.
        try watchTree(root)
        walk(root)
    }

    private var pollInterval: Double? { events == nil ? settings.poll ?? WatchSettings.defaultPoll : nil }

    /// Watches `folder` (and, recursively, its sub-folders).
    private func watchTree(_ folder: String) throws(ConfigError) {
        guard let events else { return }
        do { try events.watch(folder) } catch {
            throw ConfigError(key: "--watch", "cannot watch \(folder): \(error)")
        }
        guard settings.recursive else { return }
        for name in Self.entries(folder) where Self.isFolder(folder + "/" + name) { try watchTree(folder + "/" + name) }
    }

    private static func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether a file name is a frame file this watch takes: a format read from directories, and the pattern.
    func accepts(_ name: String) -> Bool {
        FrameFormat.of(name, among: FrameFormat.registered.filter(\.listedInDirectories)) != nil
            && settings.pattern.map { FileSystem.matches(name, pattern: $0) } ?? true
    }

    /// Notes every frame file below `folder` (sorted walk; sub-folders when recursive).
    private func walk(_ folder: String) {
        for name in Self.entries(folder) {
            let path = folder + "/" + name
            if Self.isFolder(path) {
                if settings.recursive { walk(path) }
            } else {
                note(path, finished: false)
            }
        }
        lastWalk = clock()
    }

    /// Records that `path` exists (and, with `finished`, that its writer is done with it).
    private func note(_ path: String, finished: Bool) {
        guard !settled.contains(path), accepts((path as NSString).lastPathComponent) else { return }
        let now = clock()
        if var entry = waiting[path] {
            entry.finished = entry.finished || finished
            waiting[path] = entry
        } else if let (size, modified) = Self.stat(path) {
            waiting[path] = Waiting(size: size, modified: modified, changed: now, firstSeen: now, finished: finished)
        }
    }

    private static func stat(_ path: String) -> (Int, Date)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
        return ((attributes[.size] as? NSNumber)?.intValue ?? 0, attributes[.modificationDate] as? Date ?? .distantPast)
    }

    /// The number of files seen but neither ready nor rejected yet.
    public var waitingCount: Int { waiting.count }

    /// Takes in what happened since the last look (events, or a walk when polling is due), tries the files that
    /// may be ready, and returns those that are (sorted by path) and those rejected now (path, reason).
    public func look() -> (ready: [String], rejected: [(path: String, reason: String)]) {
        if let events {
            for event in events.drain() {
                switch event.kind {
                case .finished: note(event.path, finished: true)
                case .folder:
                    guard settings.recursive else { continue }
                    try? watchTree(event.path)
                    walk(event.path)
                case .overflow: walk(root)
                }
            }
        } else if let pollInterval, clock() - lastWalk >= pollInterval {
            walk(root)
        }
        let now = clock()
        var ready: [String] = [], rejected: [(path: String, reason: String)] = []
        for path in waiting.keys.sorted() {
            guard var entry = waiting[path] else { continue }
            guard let (bytes, modified) = Self.stat(path) else {
                waiting[path] = nil  // gone (a temporary name, or deleted): a later event brings it back
                continue
            }
            if bytes != entry.size || modified != entry.modified {
                entry.size = bytes
                entry.modified = modified
                entry.changed = now
            }
            if entry.finished || now - entry.changed >= settings.settle {
                entry.problem = FrameReadiness.problem(path, dataPath: dataPath, size: size)
                if entry.problem == nil {
                    ready.append(path)
                    waiting[path] = nil
                    settled.insert(path)
                    continue
                }
            }
            if let problem = entry.problem, FrameReadiness.isFinal(problem) || now - entry.firstSeen >= settings.readyTimeout {
                rejected.append((path, problem))
                waiting[path] = nil
                settled.insert(path)
                continue
            } else if entry.problem == nil, now - entry.firstSeen >= settings.readyTimeout {
                rejected.append((path, "its size kept changing for \(settings.readyTimeout) s"))
                waiting[path] = nil
                settled.insert(path)
                continue
            }
            waiting[path] = entry
        }
        return (ready, rejected)
    }

    /// Sleeps until an event arrives (inotify) or for `seconds` at most.
    public func pause(_ seconds: Double) {
        let milliseconds = max(1, Int(seconds * 1000))
        if let events { _ = events.wait(milliseconds: milliseconds) } else { Thread.sleep(forTimeInterval: seconds) }
    }

    /// The path of `path` relative to the watched directory.
    public func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
