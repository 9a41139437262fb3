import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only into memory: its bytes, straight from the page cache, without a copy. Unmapped when the
/// last reference goes.
public final class MappedFile: @unchecked Sendable {
    /// The first byte of the file (read-only; never written through).
    public let bytes: UnsafeRawPointer
    public let count: Int

    /// Maps `path` whole; nil when it cannot be mapped (empty, special, or mmap refuses).
    public init?(path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else {
            return nil
        }
        let size = Int(status.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, descriptor, 0), address != MAP_FAILED else {
            return nil
        }
        bytes = UnsafeRawPointer(address)
        count = size
    }

    /// Drops bytes `range` from this process's mapping: the pages stay in the page cache, but no longer count in
    /// the resident set, which would otherwise grow with all that was read. The range is widened by the kernel's
    /// fault-around window (64 KiB) on each side, which maps neighbouring pages along with each one read (a large
    /// page-cache folio may be mapped whole: callers release whole frames).
    public func release(_ range: Range<Int>) {
        let page = Self.pageSize, margin = 64 << 10
        let lower = max(0, (range.lowerBound - margin) / page * page)
        let upper = min(count, (range.upperBound + margin + page - 1) / page * page)
        guard lower < upper else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: bytes + lower), upper - lower, Int32(MADV_DONTNEED))
    }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
}
