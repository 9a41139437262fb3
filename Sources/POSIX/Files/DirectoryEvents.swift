import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files finished in watched directories, from the kernel (`inotify(7)`): a file closed after writing
/// (`IN_CLOSE_WRITE`), a file or folder moved in (`IN_MOVED_TO`), a folder created (`IN_CREATE`), and the
/// kernel's queue overflowing (`IN_Q_OVERFLOW`: events were lost, rescan). Non-blocking; ``wait(milliseconds:)``
/// sleeps in `poll(2)` until an event or the timeout. inotify sees only this host's writes: a network file system
/// (see ``FileSystem/isNetworked(_:)``) needs polling instead.
public final class DirectoryEvents: @unchecked Sendable {
    /// What happened to an entry of a watched directory.
    public enum Kind: Sendable, Equatable {
        /// A file closed after writing, or a file moved in (a `.tmp` renamed): complete as far as its writer knows.
        case finished
        /// A folder created or moved in: watch it and scan it.
        case folder
        /// The kernel dropped events: rescan everything.
        case overflow
    }

    /// One event: the entry's full path (the watched folder for an overflow) and what happened.
    public struct Event: Sendable, Equatable {
        public let path: String
        public let kind: Kind

        public init(path: String, kind: Kind) {
            self.path = path
            self.kind = kind
        }
    }

    private let descriptor: Int32
    private var folders: [Int32: String] = [:]

    /// An inotify instance with no folder watched yet.
    /// - Throws: ``SystemError`` (e.g. the per-user instance limit).
    public init() throws(SystemError) {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw SystemError(code: errno) }
    }

    deinit { close(descriptor) }

    /// Watches `folder` (not its sub-folders: watch each one as it appears).
    /// - Throws: ``SystemError`` (e.g. `max_user_watches` reached).
    public func watch(_ folder: String) throws(SystemError) {
        let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_ONLYDIR)
        let handle = inotify_add_watch(descriptor, folder, mask)
        guard handle >= 0 else { throw SystemError(code: errno) }
        folders[handle] = folder
    }

    /// Sleeps until an event is pending or `milliseconds` have passed (`poll(2)`); true when events are pending.
    public func wait(milliseconds: Int) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(clamping: milliseconds)) > 0
    }

    /// The events pending now, in the kernel's order; empty when there are none.
    public func drain() -> [Event] {
        var events: [Event] = []
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, capacity)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= count {
                let event = buffer.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let nameBytes = Int(event.len)
                var name = ""
                if nameBytes > 0 {
                    let start = buffer.advanced(by: offset + header).assumingMemoryBound(to: CChar.self)
                    name = String(cString: start)
                }
                offset += header + nameBytes
                let folder = folders[event.wd] ?? ""
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    events.append(Event(path: folder, kind: .overflow))
                } else if event.mask & UInt32(IN_ISDIR) != 0 {
                    if event.mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0 {
                        events.append(Event(path: folder + "/" + name, kind: .folder))
                    }
                } else if event.mask & (UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO)) != 0, !name.isEmpty {
                    events.append(Event(path: folder + "/" + name, kind: .finished))
                }
            }
        }
        return events
    }
}
