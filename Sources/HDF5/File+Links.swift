import CHDF5

extension File {
    /// Makes `path` a second name of the object at `target` (an HDF5 hard link: both names are equal and the
    /// data exist once), creating missing groups on the way.
    /// - Important: Collective in a parallel file.
    public func createHardLink(_ path: String, to target: String) throws {
        try Library.serialized {
            let lcpl = try Self.intermediateGroups()
            defer { H5Pclose(lcpl) }
            try Library.check(H5Lcreate_hard(id, target, id, path, lcpl, H5P_DEFAULT), "H5Lcreate_hard",
                              "linking \(path) to \(target) in \(self.path)")
        }
    }
}
