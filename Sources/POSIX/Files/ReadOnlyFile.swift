import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file opened read-only for positioned reads (`preadv`): a plain copy out of the page cache (or from storage),
/// without HDF5 and without mapping anything into the process. Closed when the last reference goes.
public final class ReadOnlyFile: @unchecked Sendable {
    public let path: String
    /// Bytes in the file when it was opened.
    public let count: Int
    private let descriptor: Int32

    /// Opens `path`; nil when it cannot be opened or is not a regular file.
    public init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return nil
        }
        self.path = path
        self.descriptor = descriptor
        count = Int(status.st_size)
    }

    /// Fills `segments` in turn with the file's consecutive bytes from `offset` on (`preadv`: one call scatters
    /// a stretch of the file into many buffers).
    /// - Throws: ``FormatError`` naming the file, when the system refuses or the file ends first.
    public func read(into segments: [UnsafeMutableRawBufferPointer], at offset: Int) throws(FormatError) {
        var vectors = segments.filter { $0.count > 0 }.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        let total = vectors.reduce(0) { $0 + $1.iov_len }
        var first = 0, position = offset
        while first < vectors.count {
            let count = Int32(min(vectors.count - first, Self.vectorLimit))
            let n = vectors.withUnsafeBufferPointer { preadv(descriptor, $0.baseAddress! + first, count, off_t(position)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let why = n == 0 ? "the file ends at byte \(position)" : String(cString: strerror(errno))
                throw FormatError(file: path, message: "reading \(total) bytes at byte \(offset): \(why)")
            }
            position += n
            // Step over what was filled; a buffer filled in part continues where it stopped.
            var left = n
            while left > 0 {
                let length = vectors[first].iov_len
                if length <= left {
                    left -= length
                    first += 1
                } else {
                    vectors[first].iov_base += left
                    vectors[first].iov_len -= left
                    left = 0
                }
            }
        }
    }

    /// The most buffers one `preadv` takes (IOV_MAX).
    private static let vectorLimit = max(16, sysconf(Int32(_SC_IOV_MAX)))

    deinit { close(descriptor) }
}
