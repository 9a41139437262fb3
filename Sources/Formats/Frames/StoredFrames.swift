import Core
import Foundation
import HDF5
import POSIX

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
