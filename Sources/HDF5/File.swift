import CHDF5
import Core
import CMPI
import MPI

/// An HDF5 file, opened with the MPI-IO driver when a communicator is given (parallel HDF5) or with the default
/// POSIX driver otherwise.
///
/// Structure and metadata changes (creating groups, datasets and attributes, flushing, closing) are collective
/// in a parallel file: every rank calls them with identical arguments, in the same order.
///
/// ```swift
/// let file = try File.create("out.h5.partial", communicator: world)                 // collective
/// let ds = try file.createDataset("saxs/I", type: .float64, shape: [n, 300])        // collective
/// try ds.write(rows, rows: [myRange])                                               // collective
/// try file.close()                                                                  // collective
/// ```
public final class File {
    /// The path the file was opened with.
    public let path: String
    /// Whether the file uses the MPI-IO driver (then writes are collective).
    public let isParallel: Bool
    let id: hid_t
    private var datasets: [Dataset] = []
    private var isOpen = true

    private init(path: String, id: hid_t, parallel: Bool) {
        self.path = path
        self.id = id
        self.isParallel = parallel
    }

    // No deinit work: closing is collective, and ranks reach deinit at different times. A file that is never
    // closed belongs to a run that is ending through MPI_Abort, whose `.partial` output is left as it is.

    /// Creates a file, replacing an existing one only when `overwrite` is set.
    /// - Important: Collective when `communicator` is given.
    public static func create(_ path: String, communicator: Communicator? = nil, overwrite: Bool = true) throws -> File {
        return try Library.serialized {
            _ = Library.initialized
            let fapl = try accessList(communicator: communicator, path: path)
            defer { H5Pclose(fapl) }
            let flags = overwrite ? H5F_ACC_TRUNC : H5F_ACC_EXCL
            let id = try Library.check(id: H5Fcreate(path, flags, H5P_DEFAULT, fapl), "H5Fcreate", "creating \(path)")
            return File(path: path, id: id, parallel: communicator != nil)
        }
    }

    /// Opens an existing file.
    /// - Important: Collective when `communicator` is given.
    public static func open(_ path: String, writable: Bool = false, communicator: Communicator? = nil) throws -> File {
        return try Library.serialized {
            _ = Library.initialized
            let fapl = try accessList(communicator: communicator, path: path)
            defer { H5Pclose(fapl) }
            let flags = writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY
            let id = try Library.check(id: H5Fopen(path, flags, fapl), "H5Fopen", "opening \(path)")
            return File(path: path, id: id, parallel: communicator != nil)
        }
    }

    private static func accessList(communicator: Communicator?, path: String) throws -> hid_t {
        let fapl = try Library.check(id: H5Pcreate(H5P_FILE_ACCESS), "H5Pcreate", "opening \(path)")
        if let communicator {
            try Library.check(H5Pset_fapl_mpio(fapl, communicator.rawHandle, MPI_INFO_NULL),
                              "H5Pset_fapl_mpio", "opening \(path) with MPI-IO")
            // Collective metadata reads and writes: independent metadata writes can hang (HDFGroup/hdf5#265).
            try Library.check(H5Pset_all_coll_metadata_ops(fapl, true), "H5Pset_all_coll_metadata_ops", "opening \(path)")
            try Library.check(H5Pset_coll_metadata_write(fapl, true), "H5Pset_coll_metadata_write", "opening \(path)")
        }
        return fapl
    }

    /// Whether a link exists at `path` (every intermediate group must exist too).
    /// - Important: Collective in a parallel file (metadata reads are collective).
    public func exists(_ path: String) throws -> Bool {
        return try Library.serialized {
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += "/" + component
                let found = try Library.check(tri: H5Lexists(id, prefix, H5P_DEFAULT), "H5Lexists",
                                              "looking up \(prefix) in \(self.path)")
                if !found { return false }
            }
            return true
        }
    }

    /// Creates a group and any missing parents; an existing group is left as it is.
    /// - Important: Collective.
    public func createGroup(_ path: String) throws {
        try Library.serialized {
            if try exists(path) { return }
            let lcpl = try Self.intermediateGroups()
            defer { H5Pclose(lcpl) }
            let g = try Library.check(id: H5Gcreate2(id, path, lcpl, H5P_DEFAULT, H5P_DEFAULT), "H5Gcreate2",
                                      "creating group \(path) in \(self.path)")
            H5Gclose(g)
        }
    }

    static func intermediateGroups() throws -> hid_t {
        let lcpl = try Library.check(id: H5Pcreate(H5P_LINK_CREATE), "H5Pcreate", "making a link property list")
        try Library.check(H5Pset_create_intermediate_group(lcpl, 1), "H5Pset_create_intermediate_group",
                          "making a link property list")
        return lcpl
    }

    /// Creates a dataset (and missing parent groups).
    ///
    /// - Parameters:
    ///   - path: the dataset's path, e.g. `saxs/I`.
    ///   - type: the element type in the file.
    ///   - shape: the extent; the first dimension is the row (item) dimension.
    ///   - chunk: chunk extent, clamped to `shape`; required for `deflate`.
    ///   - deflate: gzip level 1–9 (parallel filtered writes are collective).
    ///   - fillValue: written into storage at allocation, so unwritten rows read back as this value.
    /// - Important: Collective; identical arguments on every rank.
    public func createDataset(_ path: String, type: ElementType, shape: [Int], chunk: [Int]? = nil,
                              deflate: Int? = nil, fillValue: Double? = nil) throws -> Dataset {
        return try Library.serialized {
            let context = "creating dataset \(path) in \(self.path)"
            let dims = shape.map { hsize_t($0) }
            let space = try Library.check(id: H5Screate_simple(Int32(dims.count), dims, nil), "H5Screate_simple", context)
            defer { H5Sclose(space) }
            let typeID = try type.makeTypeID()
            defer { H5Tclose(typeID) }
            let dcpl = try Library.check(id: H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate", context)
            defer { H5Pclose(dcpl) }
            // Storage allocated at creation, so that ranks may later write rows independently (raw data only).
            if isParallel {
                try Library.check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "H5Pset_alloc_time", context)
            }
            if var chunk = chunk ?? (deflate != nil ? shape : nil) {
                chunk = zip(chunk, shape).map { Swift.max(1, Swift.min($0, $1)) }
                try Library.check(H5Pset_chunk(dcpl, Int32(chunk.count), chunk.map { hsize_t($0) }), "H5Pset_chunk", context)
                if let level = deflate {
                    try Library.check(H5Pset_deflate(dcpl, UInt32(level)), "H5Pset_deflate", context)
                }
            }
            if let fillValue {
                try withFillBytes(fillValue, type: type) { bytes, memType in
                    try Library.check(H5Pset_fill_value(dcpl, memType, bytes), "H5Pset_fill_value", context)
                }
                try Library.check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC), "H5Pset_fill_time", context)
            } else {
                try Library.check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "H5Pset_fill_time", context)
            }
            let lcpl = try Self.intermediateGroups()
            defer { H5Pclose(lcpl) }
            let dset = try Library.check(id: H5Dcreate2(id, path, typeID, space, lcpl, dcpl, H5P_DEFAULT),
                                         "H5Dcreate2", context)
            let dataset = Dataset(file: self, path: path, id: dset, type: type, shape: shape)
            datasets.append(dataset)
            return dataset
        }
    }

    private func withFillBytes(_ value: Double, type: ElementType, _ body: (UnsafeRawPointer, hid_t) throws -> Void) throws {
        switch type {
        case .string:
            var zero = [UInt8](repeating: 0, count: type.size)
            let t = try type.makeTypeID()
            defer { H5Tclose(t) }
            try zero.withUnsafeMutableBytes { try body($0.baseAddress!, t) }
        default:
            var v = value
            try body(&v, H5T_NATIVE_DOUBLE)
        }
    }

    /// Opens an existing dataset.
    /// - Important: Collective in a parallel file.
    public func openDataset(_ path: String) throws -> Dataset {
        return try Library.serialized {
            let context = "opening dataset \(path) in \(self.path)"
            let dset = try Library.check(id: H5Dopen2(id, path, H5P_DEFAULT), "H5Dopen2", context)
            let typeID = H5Dget_type(dset)
            defer { H5Tclose(typeID) }
            guard let type = ElementType.from(typeID: typeID) else {
                H5Dclose(dset)
                throw HDF5Error(function: "H5Dget_type", context: context + ": unsupported element type", stack: [])
            }
            let space = try Library.check(id: H5Dget_space(dset), "H5Dget_space", context)
            defer { H5Sclose(space) }
            let rank = Int(H5Sget_simple_extent_ndims(space))
            var dims = [hsize_t](repeating: 0, count: rank)
            H5Sget_simple_extent_dims(space, &dims, nil)
            let dataset = Dataset(file: self, path: path, id: dset, type: type, shape: dims.map { Int($0) })
            datasets.append(dataset)
            return dataset
        }
    }

    /// Writes buffered data and metadata to storage.
    /// - Important: Collective.
    public func flush() throws {
        try Library.serialized {
            try Library.check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush", "flushing \(path)")
        }
    }

    /// Closes every dataset opened through this file, then the file.
    /// - Important: Collective.
    public func close() throws {
        try Library.serialized {
            guard isOpen else { return }
            isOpen = false
            for dataset in datasets { dataset.closeHandle() }
            datasets.removeAll()
            try Library.check(H5Fclose(id), "H5Fclose", "closing \(path)")
        }
    }
}
