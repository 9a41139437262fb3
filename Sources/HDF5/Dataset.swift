import CHDF5
import Core

/// A dataset whose first dimension is the row (item) dimension.
///
/// Writes select whole rows: a list of row ranges, possibly empty. In a parallel file writes are collective:
/// every rank calls ``write(_:rows:)`` the same number of times, a rank without rows passing `rows: []`.
public final class Dataset {
    /// The dataset's path inside the file.
    public let path: String
    /// The element type in the file.
    public let type: ElementType
    /// The extent of every dimension.
    public let shape: [Int]
    let id: hid_t
    /// In a parallel file, let each rank move its own data in the (still collective) write calls instead of MPI-IO's
    /// two-phase collective buffering, which copies every byte through aggregator ranks: faster for large
    /// contiguous pieces per rank (a tomogram per item). Every rank must set the same; not for filtered datasets.
    public var independentData = false
    /// In a parallel file, false makes writes independent calls (`H5FD_MPIO_INDEPENDENT`): each rank writes its own
    /// rows whenever it likes, any number of times, without the others. Not for filtered (compressed) datasets.
    public var collectiveWrites = true
    private unowned let file: File
    private var isOpen = true

    init(file: File, path: String, id: hid_t, type: ElementType, shape: [Int]) {
        self.file = file
        self.path = path
        self.id = id
        self.type = type
        self.shape = shape
    }

    /// Elements per row (the product of all dimensions but the first).
    public var rowSize: Int { shape.dropFirst().reduce(1, *) }

    /// The number of rows.
    public var rowCount: Int { shape.first ?? 1 }

    /// Where the values lie in the file that holds them, for reading them without HDF5 (by memory mapping): that
    /// file's name (an external link may lead to another file) and the byte offset of the first value, when the
    /// dataset is stored contiguously (so unfiltered), allocated, not in external files, and in memory's own
    /// representation of ``type``; nil otherwise.
    private var contiguousStorage: (file: String, offset: Int)? {
        guard let file = rawFileName else { return nil }
        let plist = H5Dget_create_plist(id)
        guard plist >= 0 else { return nil }
        defer { H5Pclose(plist) }
        guard H5Pget_layout(plist) == H5D_CONTIGUOUS, H5Pget_external_count(plist) == 0 else { return nil }
        let offset = H5Dget_offset(id)
        // A damaged file can hold any address: one beyond Int's range is not storage we can read.
        guard offset != haddr_t.max, let start = Int(exactly: offset) else { return nil }
        return (file, start)
    }

    /// Where each element of the first dimension (a frame) lies in the file that holds the values, for reading
    /// them without HDF5: the file's name and one byte offset per frame, when every frame is stored whole and
    /// allocated — contiguously, or in unfiltered chunks of one frame each — in memory's own representation of
    /// ``type``; nil otherwise.
    public var frameStorage: (file: String, offsets: [Int])? {
        return Library.serialized {
            let frameBytes = rowSize * type.size
            if let contiguous = contiguousStorage {
                let (total, overflow) = rowCount.multipliedReportingOverflow(by: frameBytes)
                guard !overflow, contiguous.offset <= Int.max - total else { return nil }
                return (contiguous.file, (0..<rowCount).map { contiguous.offset + $0 * frameBytes })
            }
            guard let file = rawFileName else { return nil }
            let plist = H5Dget_create_plist(id)
            guard plist >= 0 else { return nil }
            defer { H5Pclose(plist) }
            var chunk = [hsize_t](repeating: 0, count: shape.count)
            guard H5Pget_layout(plist) == H5D_CHUNKED, H5Pget_nfilters(plist) == 0,
                  H5Pget_chunk(plist, Int32(shape.count), &chunk) == Int32(shape.count),
                  chunk.map({ Int(exactly: $0) }) == ([1] + shape.dropFirst()).map(Optional.some) else { return nil }
            var offsets: [Int] = []
            offsets.reserveCapacity(rowCount)
            var coordinate = [hsize_t](repeating: 0, count: shape.count)
            for frame in 0..<rowCount {
                coordinate[0] = hsize_t(frame)
                var filters: UInt32 = 0, address: haddr_t = 0, size: hsize_t = 0
                guard H5Dget_chunk_info_by_coord(id, coordinate, &filters, &address, &size) >= 0,
                      address != haddr_t.max, Int(exactly: size) == frameBytes,
                      let start = Int(exactly: address) else { return nil }
                offsets.append(start)
            }
            return (file, offsets)
        }
    }

    /// The name of the file holding the values when they are stored in memory's own representation of ``type``
    /// (the condition for reading them without HDF5); nil otherwise.
    private var rawFileName: String? {
        guard let memoryType = try? type.makeTypeID() else { return nil }
        defer { H5Tclose(memoryType) }
        let fileType = H5Dget_type(id)
        guard fileType >= 0 else { return nil }
        defer { H5Tclose(fileType) }
        guard H5Tequal(fileType, memoryType) > 0 else { return nil }
        let fileID = H5Iget_file_id(id)
        guard fileID >= 0 else { return nil }
        defer { H5Fclose(fileID) }
        let length = H5Fget_name(fileID, nil, 0)
        guard length > 0 else { return nil }
        var name = [CChar](repeating: 0, count: length + 1)
        guard H5Fget_name(fileID, &name, length + 1) == length else { return nil }
        return String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func closeHandle() {
        if isOpen { H5Dclose(id) }
        isOpen = false
    }

    // MARK: Writing

    /// Writes numeric rows. `values` holds the selected rows back to back, in the order of `rows`.
    /// - Important: Collective in a parallel file.
    public func write<T: NumericElement>(_ values: [T], rows: [Range<Int>]) throws {
        try Library.serialized {
            try values.withUnsafeBufferPointer { try write($0, rows: rows) }
        }
    }

    /// Writes numeric rows from memory the caller owns. HDF5 converts `T` to the file's element type if they differ.
    /// - Important: Collective in a parallel file.
    public func write<T: NumericElement>(_ values: Span<T>, rows: [Range<Int>]) throws {
        try values.withUnsafeBufferPointer { try write($0, rows: rows) }
    }

    private func write<T: NumericElement>(_ values: UnsafeBufferPointer<T>, rows: [Range<Int>]) throws {
        try Library.serialized {
            if case .string = type {
                throw HDF5Error(function: "H5Dwrite", context: "writing \(T.self) to string dataset \(path)", stack: [])
            }
            let selected = rows.reduce(0) { $0 + $1.count }
            guard values.count == selected * rowSize else {
                throw HDF5Error(function: "H5Dwrite",
                                context: "writing \(values.count) values to \(selected) rows of \(rowSize) in \(path)",
                                stack: [])
            }
            let memType = try T.elementType.makeTypeID()
            defer { H5Tclose(memType) }
            try withNonNullBytes(values) { try transfer(rows: rows, memType: memType, buffer: $0) }
        }
    }

    /// Takes part in a collective write without contributing rows (a rank with nothing to write this round).
    ///
    /// The memory type is the file's own: a type conversion on any rank turns a collective transfer into an
    /// independent one, which filtered (compressed) datasets cannot do.
    /// - Important: Collective in a parallel file.
    public func writeNoRows() throws {
        try Library.serialized {
            let memType = try type.makeTypeID()
            defer { H5Tclose(memType) }
            var pad: UInt64 = 0
            try withUnsafeBytes(of: &pad) { try transfer(rows: [], memType: memType, buffer: $0.baseAddress!) }
        }
    }

    /// Writes fixed-length strings, one per row (the dataset must be 1-D of type ``ElementType/string(length:)``).
    /// - Throws: ``HDF5Error`` naming the dataset and row when a string is longer than the declared length.
    /// - Important: Collective in a parallel file.
    public func writeStrings(_ strings: [String], rows: [Range<Int>]) throws {
        try Library.serialized {
            guard case .string(let length) = type, shape.count == 1 else {
                throw HDF5Error(function: "H5Dwrite", context: "writing strings to non-string dataset \(path)", stack: [])
            }
            let rowIndices = rows.flatMap { $0 }
            guard rowIndices.count == strings.count else {
                throw HDF5Error(function: "H5Dwrite",
                                context: "writing \(strings.count) strings to \(rowIndices.count) rows of \(path)", stack: [])
            }
            var buffer = [UInt8](repeating: 0, count: Swift.max(1, strings.count * length))
            for (i, s) in strings.enumerated() {
                let bytes = Array(s.utf8)
                guard bytes.count <= length else {
                    throw HDF5Error(function: "H5Dwrite",
                                    context: "row \(rowIndices[i]) of \(path): a string of \(bytes.count) bytes exceeds "
                                        + "the dataset's fixed length \(length)", stack: [])
                }
                buffer.replaceSubrange(i * length..<i * length + bytes.count, with: bytes)
            }
            let memType = try type.makeTypeID()
            defer { H5Tclose(memType) }
            try buffer.withUnsafeBytes { try transfer(rows: rows, memType: memType, buffer: $0.baseAddress!) }
        }
    }

    private func transfer(rows: [Range<Int>], memType: hid_t, buffer: UnsafeRawPointer) throws {
        let context = "writing rows of \(path) in \(file.path)"
        let selection = try RowSelection(datasetID: id, shape: shape, rows: rows, context: context)
        defer { selection.close() }
        let dxpl = try transferList(collective: file.isParallel && collectiveWrites, context: context)
        defer { H5Pclose(dxpl) }
        try Library.check(H5Dwrite(id, memType, selection.memorySpace, selection.fileSpace, dxpl, buffer),
                          "H5Dwrite", context)
    }

    private func transferList(collective: Bool, context: String) throws -> hid_t {
        let dxpl = try Library.check(id: H5Pcreate(H5P_DATASET_XFER), "H5Pcreate", context)
        if collective {
            try Library.check(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio", context)
            if independentData {
                try Library.check(H5Pset_dxpl_mpio_collective_opt(dxpl, H5FD_MPIO_INDIVIDUAL_IO),
                                  "H5Pset_dxpl_mpio_collective_opt", context)
            }
        }
        return dxpl
    }

    // MARK: Reading

    /// Reads rows `rows` (all rows by default) as `T`, converting from the file's type if needed.
    /// Reads are independent: any rank may read any rows at any time.
    public func read<T: NumericElement>(_: T.Type = T.self, rows: Range<Int>? = nil) throws -> [T] {
        return try Library.serialized {
            let range = rows ?? 0..<rowCount
            return try read(T.self, offset: [range.lowerBound] + shape.dropFirst().map { _ in 0 },
                            count: [range.count] + shape.dropFirst())
        }
    }

    /// Reads the hyperslab starting at `offset` with extent `count` (one entry per dimension), in row-major order.
    ///
    /// Use it for slabs along any dimension, e.g. detector rows `r0..<r1` of every projection of a
    /// (projections, rows, columns) scan: `offset: [0, r0, 0], count: [projections, r1 - r0, columns]`.
    public func read<T: NumericElement>(_: T.Type = T.self, offset: [Int], count: [Int]) throws -> [T] {
        return try Library.serialized {
            let total = count.reduce(1, *)
            return try [T](unsafeUninitializedCapacity: total) { buffer, initialized in
                try read(into: buffer, offset: offset, count: count)
                initialized = total
            }
        }
    }

    /// Reads the hyperslab starting at `offset` with extent `count` into `buffer` (exactly that many elements),
    /// converting from the file's type to `T` if they differ: for reads into memory the caller reuses.
    public func read<T: NumericElement>(into buffer: inout MutableSpan<T>, offset: [Int], count: [Int]) throws {
        try buffer.withUnsafeMutableBufferPointer { try read(into: $0, offset: offset, count: count) }
    }

    private func read<T: NumericElement>(into buffer: UnsafeMutableBufferPointer<T>, offset: [Int], count: [Int]) throws {
        try Library.serialized {
            let context = "reading hyperslab \(offset)+\(count) of \(path) in \(file.path)"
            guard offset.count == shape.count, count.count == shape.count,
                  zip(zip(offset, count), shape).allSatisfy({ $0.0 >= 0 && $0.1 >= 0 && $0.0 + $0.1 <= $1 }) else {
                throw HDF5Error(function: "H5Sselect_hyperslab", context: context + ": outside the extent \(shape)", stack: [])
            }
            let total = count.reduce(1, *)
            guard buffer.count == total else {
                throw HDF5Error(function: "H5Dread", context: context + ": a buffer of \(buffer.count) for \(total) values",
                                stack: [])
            }
            guard total > 0 else { return }
            let fileSpace = try Library.check(id: H5Dget_space(id), "H5Dget_space", context)
            defer { H5Sclose(fileSpace) }
            try Library.check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, offset.map { hsize_t($0) }, nil,
                                                  count.map { hsize_t($0) }, nil), "H5Sselect_hyperslab", context)
            let memSpace = try Library.check(id: H5Screate_simple(Int32(count.count), count.map { hsize_t($0) }, nil),
                                             "H5Screate_simple", context)
            defer { H5Sclose(memSpace) }
            let memType = try T.elementType.makeTypeID()
            defer { H5Tclose(memType) }
            try Library.check(H5Dread(id, memType, memSpace, fileSpace, H5P_DEFAULT, buffer.baseAddress),
                              "H5Dread", context)
        }
    }

    /// Reads fixed-length strings (trailing nulls removed).
    public func readStrings(rows: Range<Int>? = nil) throws -> [String] {
        return try Library.serialized {
            guard case .string(let length) = type else {
                throw HDF5Error(function: "H5Dread", context: "reading strings from non-string dataset \(path)", stack: [])
            }
            let range = rows ?? 0..<rowCount
            let memType = try type.makeTypeID()
            defer { H5Tclose(memType) }
            var buffer = [UInt8](repeating: 0, count: Swift.max(1, range.count * length))
            try buffer.withUnsafeMutableBytes {
                try read(rows: range, memType: memType, into: $0.baseAddress!,
                         context: "reading rows \(range) of \(path) in \(file.path)")
            }
            return (0..<range.count).map { i in
                let slice = buffer[i * length..<(i + 1) * length]
                let end = slice.firstIndex(of: 0) ?? slice.endIndex
                return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
            }
        }
    }

    private func read(rows: Range<Int>, memType: hid_t, into buffer: UnsafeMutableRawPointer, context: String) throws {
        if shape.isEmpty && rows == 0..<1 {
            // A scalar has no rows to select: read it whole.
            let all = hid_t(0)  // H5S_ALL, (hid_t)0 in H5Spublic.h (the name is ambiguous in Swift)
            let status = H5Dread(id, memType, all, all, H5P_DEFAULT, buffer)
            try Library.check(status, "H5Dread", context)
            return
        }
        guard rows.lowerBound >= 0, rows.upperBound <= rowCount else {
            throw HDF5Error(function: "H5Dread", context: context + ": outside the \(rowCount) rows", stack: [])
        }
        let selection = try RowSelection(datasetID: id, shape: shape, rows: rows.isEmpty ? [] : [rows], context: context)
        defer { selection.close() }
        let dxpl = try transferList(collective: false, context: context)
        defer { H5Pclose(dxpl) }
        try Library.check(H5Dread(id, memType, selection.memorySpace, selection.fileSpace, dxpl, buffer),
                          "H5Dread", context)
    }

    // MARK: Attributes

    /// Sets an attribute on this dataset.
    /// - Important: Collective; identical value on every rank.
    public func setAttribute(_ name: String, _ value: AttributeValue) throws {
        try Library.serialized {
            try file.setAttribute(name, value, on: path)
        }
    }
}

/// File and memory dataspaces selecting whole rows.
struct RowSelection {
    let fileSpace: hid_t
    let memorySpace: hid_t

    init(datasetID: hid_t, shape: [Int], rows: [Range<Int>], context: String) throws {
        fileSpace = try Library.check(id: H5Dget_space(datasetID), "H5Dget_space", context)
        let rest = shape.dropFirst().map { hsize_t($0) }
        let total = rows.reduce(0) { $0 + $1.count }
        let memDims = [hsize_t(Swift.max(total, 1))] + rest
        memorySpace = try Library.check(id: H5Screate_simple(Int32(memDims.count), memDims, nil), "H5Screate_simple", context)
        let nonEmpty = rows.filter { !$0.isEmpty }
        if nonEmpty.isEmpty {
            try Library.check(H5Sselect_none(fileSpace), "H5Sselect_none", context)
            try Library.check(H5Sselect_none(memorySpace), "H5Sselect_none", context)
            return
        }
        for (i, range) in nonEmpty.enumerated() {
            guard range.lowerBound >= 0, range.upperBound <= (shape.first ?? 1) else {
                throw HDF5Error(function: "H5Sselect_hyperslab",
                                context: context + ": rows \(range) outside the \(shape.first ?? 1) rows", stack: [])
            }
            let start = [hsize_t(range.lowerBound)] + rest.map { _ in 0 }
            let count = [hsize_t(range.count)] + rest
            try Library.check(H5Sselect_hyperslab(fileSpace, i == 0 ? H5S_SELECT_SET : H5S_SELECT_OR,
                                                  start, nil, count, nil), "H5Sselect_hyperslab", context)
        }
    }

    func close() {
        H5Sclose(fileSpace)
        H5Sclose(memorySpace)
    }
}
