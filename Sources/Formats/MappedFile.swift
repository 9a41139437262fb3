import Foundation
import HDF5

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

/// The elements of an HDF5 dataset's first dimension (frames, or scans of frames) used in place from a read-only
/// mapping of the file that holds them, when HDF5 stores each whole — contiguously, or one unfiltered chunk per
/// element — in memory's own representation (``HDF5/Dataset/frameStorage``). Shared by the frame readers of
/// ``FrameStack`` and ``TomoScan``.
struct MappedFrames: Sendable {
    let file: MappedFile
    /// Byte offset of each element in the file.
    let offsets: [Int]
    /// Bytes per element.
    let elementBytes: Int

    /// nil when the dataset is not stored so, an offset is not a multiple of `alignment`, or the file cannot be
    /// mapped.
    init?(_ dataset: Dataset, alignment: Int) {
        guard let storage = dataset.frameStorage, storage.offsets.allSatisfy({ $0 % alignment == 0 }),
              let mapped = MappedFile(path: storage.file) else { return nil }
        let bytes = dataset.rowSize * dataset.type.size
        guard storage.offsets.allSatisfy({ $0 >= 0 && $0 + bytes <= mapped.count }) else { return nil }
        file = mapped
        offsets = storage.offsets
        elementBytes = bytes
    }

    /// Byte `offset` of element `index`.
    func address(_ index: Int, byte offset: Int = 0) -> UnsafeRawPointer { file.bytes + offsets[index] + offset }

    /// Takes bytes `range` of element `index` out of the resident set (see ``MappedFile/release(_:)``).
    func release(_ index: Int, bytes range: Range<Int>? = nil) {
        let range = range ?? 0..<elementBytes
        file.release(offsets[index] + range.lowerBound..<offsets[index] + range.upperBound)
    }
}
