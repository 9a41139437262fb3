import CHDF5

extension Dataset {
    /// Every value as a double, a scalar (0-d) dataset included (its one value), converted from the file's type.
    /// Reads are independent.
    public func readAllDoubles() throws -> [Double] {
        guard shape.isEmpty else { return try read(Double.self) }
        return try Library.serialized {
            var value = [0.0]
            let all = hid_t(0)  // H5S_ALL, (hid_t)0 in H5Spublic.h (the name is ambiguous in Swift)
            try Library.check(H5Dread(id, H5T_NATIVE_DOUBLE, all, all, H5P_DEFAULT, &value), "H5Dread",
                              "reading scalar \(path)")
            return value
        }
    }
}
