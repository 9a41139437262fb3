import CHDF5
import Foundation

/// Scalar datasets: the small named fields of NeXus-style metadata (`definition`, `title`, a distance).
extension File {
    /// Creates a scalar UTF-8 string dataset: variable-length, as h5py writes a Python `str`, or in a parallel
    /// file (whose MPI-IO driver cannot write variable-length data) fixed-length and null-padded.
    /// - Important: Collective in a parallel file, with the same value on every rank.
    public func createScalar(_ path: String, string value: String) throws {
        try Library.serialized {
            let context = "creating string field \(path) in \(self.path)"
            let type = try Library.check(id: H5Tcopy(H5T_C_S1), "H5Tcopy", context)
            defer { H5Tclose(type) }
            try Library.check(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset", context)
            if isParallel {
                let bytes = Array(value.utf8)
                try Library.check(H5Tset_size(type, Swift.max(1, bytes.count)), "H5Tset_size", context)
                try Library.check(H5Tset_strpad(type, H5T_STR_NULLPAD), "H5Tset_strpad", context)
                let (dataset, space) = try createScalarDataset(path, type: type, context: context)
                defer { H5Dclose(dataset); H5Sclose(space) }
                var buffer = bytes.isEmpty ? [0] : bytes
                try Library.check(H5Dwrite(dataset, type, space, space, H5P_DEFAULT, &buffer), "H5Dwrite", context)
                return
            }
            try Library.check(H5Tset_size(type, H5T_VARIABLE), "H5Tset_size", context)
            let (dataset, space) = try createScalarDataset(path, type: type, context: context)
            defer { H5Dclose(dataset); H5Sclose(space) }
            // A variable-length string is written as a pointer to a C string.
            let status = value.withCString { text -> herr_t in
                var pointer: UnsafePointer<CChar>? = text
                return withUnsafeMutablePointer(to: &pointer) { H5Dwrite(dataset, type, space, space, H5P_DEFAULT, $0) }
            }
            try Library.check(status, "H5Dwrite", context)
        }
    }

    /// Creates a scalar float64 dataset.
    /// - Important: Collective in a parallel file, with the same value on every rank.
    public func createScalar(_ path: String, double value: Double) throws {
        try Library.serialized {
            let context = "creating field \(path) in \(self.path)"
            let type: hid_t = H5T_NATIVE_DOUBLE
            let (dataset, space) = try createScalarDataset(path, type: type, context: context)
            defer { H5Dclose(dataset); H5Sclose(space) }
            var copy = value
            try Library.check(H5Dwrite(dataset, type, space, space, H5P_DEFAULT, &copy), "H5Dwrite", context)
        }
    }

    /// A new scalar dataset and its scalar dataspace; the caller closes both.
    private func createScalarDataset(_ path: String, type: hid_t, context: String) throws -> (hid_t, hid_t) {
        let space = try Library.check(id: H5Screate(H5S_SCALAR), "H5Screate", context)
        do {
            let lcpl = try Self.intermediateGroups()
            defer { H5Pclose(lcpl) }
            let dataset = try Library.check(id: H5Dcreate2(id, path, type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT),
                                            "H5Dcreate2", context)
            return (dataset, space)
        } catch {
            H5Sclose(space)
            throw error
        }
    }
}
