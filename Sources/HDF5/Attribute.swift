#if canImport(Glibc)
import Glibc
#endif
import CHDF5
import Core

/// The value of an HDF5 attribute. Strings are stored as variable-length UTF-8 (h5py reads them as `str`).
public enum AttributeValue: Sendable, Equatable {
    case string(String)
    case strings([String])
    case int(Int64)
    case ints([Int64])
    /// An unsigned 64-bit integer (a seed), stored as HDF5 `uint64` so that every value round-trips.
    case uint(UInt64)
    case double(Double)
    case doubles([Double])
}

extension File {
    /// Sets (or replaces) attribute `name` on the object at `objectPath` ("/" for the file).
    /// - Important: Collective; identical value on every rank.
    public func setAttribute(_ name: String, _ value: AttributeValue, on objectPath: String = "/") throws {
        try Library.serialized {
            let context = "writing attribute \(name) on \(objectPath) in \(path)"
            let object = try Library.check(id: H5Oopen(id, objectPath, H5P_DEFAULT), "H5Oopen", context)
            defer { H5Oclose(object) }
            if try Library.check(tri: H5Aexists(object, name), "H5Aexists", context) {
                try Library.check(H5Adelete(object, name), "H5Adelete", context)
            }
            switch value {
            case .string(let s): try writeStrings([s], scalar: true, object: object, name: name, context: context)
            case .strings(let s): try writeStrings(s, scalar: false, object: object, name: name, context: context)
            case .int(let v): try writeNumbers([v], scalar: true, object: object, name: name, context: context)
            case .ints(let v): try writeNumbers(v, scalar: false, object: object, name: name, context: context)
            case .uint(let v): try writeNumbers([v], scalar: true, object: object, name: name, context: context)
            case .double(let v): try writeNumbers([v], scalar: true, object: object, name: name, context: context)
            case .doubles(let v): try writeNumbers(v, scalar: false, object: object, name: name, context: context)
            }
        }
    }

    private func space(count: Int, scalar: Bool, context: String) throws -> hid_t {
        if scalar { return try Library.check(id: H5Screate(H5S_SCALAR), "H5Screate", context) }
        let dims = [hsize_t(count)]
        return try Library.check(id: H5Screate_simple(1, dims, nil), "H5Screate_simple", context)
    }

    private func writeNumbers<T: NumericElement>(_ values: [T], scalar: Bool, object: hid_t, name: String,
                                               context: String) throws {
        let type = try T.elementType.makeTypeID()
        defer { H5Tclose(type) }
        let space = try space(count: values.count, scalar: scalar, context: context)
        defer { H5Sclose(space) }
        let attr = try Library.check(id: H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                                     "H5Acreate2", context)
        defer { H5Aclose(attr) }
        _ = try values.withUnsafeBufferPointer { buffer in
            try withNonNullBytes(buffer) { try Library.check(H5Awrite(attr, type, $0), "H5Awrite", context) }
        }
    }

    private func writeStrings(_ strings: [String], scalar: Bool, object: hid_t, name: String, context: String) throws {
        let type = try Library.check(id: H5Tcopy(H5T_C_S1), "H5Tcopy", context)
        defer { H5Tclose(type) }
        try Library.check(H5Tset_size(type, H5T_VARIABLE), "H5Tset_size", context)
        try Library.check(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset", context)
        let space = try space(count: strings.count, scalar: scalar, context: context)
        defer { H5Sclose(space) }
        let attr = try Library.check(id: H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                                     "H5Acreate2", context)
        defer { H5Aclose(attr) }
        // Variable-length strings are written as an array of C string pointers.
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        if pointers.isEmpty { pointers = [nil] }
        _ = try pointers.withUnsafeBytes { raw in
            try Library.check(H5Awrite(attr, type, raw.baseAddress!), "H5Awrite", context)
        }
    }

    /// Reads attribute `name` of the object at `objectPath`, or nil when it does not exist.
    public func attribute(_ name: String, on objectPath: String = "/") throws -> AttributeValue? {
        return try Library.serialized {
            let context = "reading attribute \(name) on \(objectPath) in \(path)"
            let object = try Library.check(id: H5Oopen(id, objectPath, H5P_DEFAULT), "H5Oopen", context)
            defer { H5Oclose(object) }
            guard try Library.check(tri: H5Aexists(object, name), "H5Aexists", context) else { return nil }
            let attr = try Library.check(id: H5Aopen(object, name, H5P_DEFAULT), "H5Aopen", context)
            defer { H5Aclose(attr) }
            let fileType = H5Aget_type(attr)
            defer { H5Tclose(fileType) }
            let space = H5Aget_space(attr)
            defer { H5Sclose(space) }
            let scalar = H5Sget_simple_extent_type(space) == H5S_SCALAR
            let count = Int(H5Sget_simple_extent_npoints(space))
            switch H5Tget_class(fileType) {
            case H5T_STRING:
                let strings = try readStrings(attr: attr, fileType: fileType, count: count, context: context)
                return scalar ? .string(strings.first ?? "") : .strings(strings)
            case H5T_FLOAT:
                var values = [Double](repeating: 0, count: count)
                try Library.check(H5Aread(attr, H5T_NATIVE_DOUBLE, &values), "H5Aread", context)
                return scalar ? .double(values[0]) : .doubles(values)
            case H5T_INTEGER where scalar && H5Tget_sign(fileType) == H5T_SGN_NONE && H5Tget_size(fileType) == 8:
                var value: UInt64 = 0
                try Library.check(H5Aread(attr, H5T_NATIVE_UINT64, &value), "H5Aread", context)
                return .uint(value)
            case H5T_INTEGER:
                var values = [Int64](repeating: 0, count: count)
                try Library.check(H5Aread(attr, H5T_NATIVE_INT64, &values), "H5Aread", context)
                return scalar ? .int(values[0]) : .ints(values)
            default:
                throw HDF5Error(function: "H5Aget_type", context: context + ": unsupported attribute type", stack: [])
            }
        }
    }

    private func readStrings(attr: hid_t, fileType: hid_t, count: Int, context: String) throws -> [String] {
        if H5Tis_variable_str(fileType) > 0 {
            let memType = try Library.check(id: H5Tcopy(H5T_C_S1), "H5Tcopy", context)
            defer { H5Tclose(memType) }
            H5Tset_size(memType, H5T_VARIABLE)
            H5Tset_cset(memType, H5Tget_cset(fileType))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try Library.check(H5Aread(attr, memType, &pointers), "H5Aread", context)
            defer { pointers.forEach { if let p = $0 { H5free_memory(p) } } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let length = H5Tget_size(fileType)
        var buffer = [UInt8](repeating: 0, count: count * length)
        try Library.check(H5Aread(attr, fileType, &buffer), "H5Aread", context)
        return (0..<count).map { i in
            let slice = buffer[i * length..<(i + 1) * length]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
        }
    }
}
