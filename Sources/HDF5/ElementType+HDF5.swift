import CHDF5
import Core

/// HDF5 types of Core's element types.
extension ElementType {
    /// A new HDF5 type id for this element type; the caller closes it.
    func makeTypeID() throws -> hid_t {
        let native: hid_t
        switch self {
        case .float64: native = H5T_NATIVE_DOUBLE
        case .float32: native = H5T_NATIVE_FLOAT
        case .int8: native = H5T_NATIVE_INT8
        case .int16: native = H5T_NATIVE_INT16
        case .int32: native = H5T_NATIVE_INT32
        case .int64: native = H5T_NATIVE_INT64
        case .uint8: native = H5T_NATIVE_UINT8
        case .uint16: native = H5T_NATIVE_UINT16
        case .uint32: native = H5T_NATIVE_UINT32
        case .uint64: native = H5T_NATIVE_UINT64
        case .string(let length):
            let t = try Library.check(id: H5Tcopy(H5T_C_S1), "H5Tcopy", "making a string type")
            try Library.check(H5Tset_size(t, max(1, length)), "H5Tset_size", "making a string type")
            try Library.check(H5Tset_strpad(t, H5T_STR_NULLPAD), "H5Tset_strpad", "making a string type")
            try Library.check(H5Tset_cset(t, H5T_CSET_UTF8), "H5Tset_cset", "making a string type")
            return t
        }
        return try Library.check(id: H5Tcopy(native), "H5Tcopy", "copying a native type")
    }

    /// The element type of an existing HDF5 type, or nil for types beamforge does not use.
    static func from(typeID t: hid_t) -> ElementType? {
        let size = H5Tget_size(t)
        switch H5Tget_class(t) {
        case H5T_FLOAT:
            return size == 8 ? .float64 : size == 4 ? .float32 : nil
        case H5T_INTEGER:
            let signed = H5Tget_sign(t) == H5T_SGN_2
            switch (size, signed) {
            case (1, true): return .int8
            case (2, true): return .int16
            case (4, true): return .int32
            case (8, true): return .int64
            case (1, false): return .uint8
            case (2, false): return .uint16
            case (4, false): return .uint32
            case (8, false): return .uint64
            default: return nil
            }
        case H5T_STRING:
            return H5Tis_variable_str(t) > 0 ? nil : .string(length: size)
        default:
            return nil
        }
    }
}
