import Foundation

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

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
}
