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

/// Where HDF5 keeps each element of a dataset's first dimension (frames, or scans of frames) when it keeps each
/// whole — contiguously, or one unfiltered chunk per element — in memory's own representation
/// (``HDF5/Dataset/frameStorage``): then the elements can be read without HDF5.
struct StoredFrames: Sendable {
    let file: String
    /// Byte offset of each element in the file.
    let offsets: [Int]
    /// Bytes per element.
    let elementBytes: Int

    /// nil when the dataset is not stored so, or an offset is not a multiple of `alignment`.
    init?(_ dataset: Dataset, alignment: Int) {
        guard let storage = dataset.frameStorage, storage.offsets.allSatisfy({ $0 >= 0 && $0 % alignment == 0 })
        else { return nil }
        file = storage.file
        offsets = storage.offsets
        elementBytes = dataset.rowSize * dataset.type.size
    }

    /// Whether every element lies within a file of `size` bytes.
    func fits(in size: Int) -> Bool { offsets.allSatisfy { $0 + elementBytes <= size } }
}

/// A file that elements of a dataset can be taken from without HDF5: opened by path, its size known.
protocol ElementFile: Sendable {
    init?(path: String)
    /// Bytes in the file.
    var count: Int { get }
}

extension MappedFile: ElementFile {}
extension ReadOnlyFile: ElementFile {}

/// The elements of a dataset's first dimension taken straight from the file that holds them (see
/// ``StoredFrames``): mapped (``MappedFrames``) or read with `preadv` (``DirectFrames``).
struct FramesInFile<File: ElementFile>: Sendable {
    let file: File
    let storage: StoredFrames

    /// nil when the dataset is not stored whole per element, or the file cannot be opened.
    init?(_ dataset: Dataset, alignment: Int) {
        guard let storage = StoredFrames(dataset, alignment: alignment), let file = File(path: storage.file),
              storage.fits(in: file.count) else { return nil }
        self.file = file
        self.storage = storage
    }
}

/// ``FrameStack``'s frames used in place from a read-only mapping, each used whole.
typealias MappedFrames = FramesInFile<MappedFile>

extension FramesInFile where File == MappedFile {
    /// Byte `offset` of element `index`.
    func address(_ index: Int, byte offset: Int = 0) -> UnsafeRawPointer {
        file.bytes + storage.offsets[index] + offset
    }

    /// Takes bytes `range` of element `index` (all of it by default) out of the resident set (see
    /// ``MappedFile/release(_:)``).
    func release(_ index: Int, bytes range: Range<Int>? = nil) {
        let range = range ?? 0..<storage.elementBytes, start = storage.offsets[index]
        file.release(start + range.lowerBound..<start + range.upperBound)
    }
}

/// ``TomoScan``'s frames read with `preadv`: only some rows are read at a time, copied straight into the caller's
/// buffer (a mapping would put the page cache's whole folios, not only those rows, in the resident set).
typealias DirectFrames = FramesInFile<ReadOnlyFile>

extension FramesInFile where File == ReadOnlyFile {
    /// Copies bytes `range` of element `index` into `segments`, filled in turn.
    func read(_ index: Int, bytes range: Range<Int>, into segments: [UnsafeMutableRawBufferPointer])
        throws(FormatError) {
        try file.read(into: segments, at: storage.offsets[index] + range.lowerBound)
    }
}
