import CHDF5

extension File {
    /// Every dataset reachable from the root (following external links), with its shape, in name order: for
    /// messages that list what a file holds when an expected dataset is missing.
    public func datasetList() throws -> [(path: String, shape: [Int])] {
        return try Library.serialized {
            final class Found { var items: [(path: String, shape: [Int])] = [] }
            let found = Found()
            let status = withExtendedLifetime(found) {
                H5Lvisit(id, H5_INDEX_NAME, H5_ITER_INC, { group, name, _, context -> herr_t in
                    guard let name, let context else { return 0 }
                    let found = Unmanaged<Found>.fromOpaque(context).takeUnretainedValue()
                    let object = H5Oopen(group, name, H5P_DEFAULT)
                    guard object >= 0 else { return 0 }  // a dangling link: skip it
                    defer { H5Oclose(object) }
                    guard H5Iget_type(object) == H5I_DATASET else { return 0 }
                    let space = H5Dget_space(object)
                    guard space >= 0 else { return 0 }
                    defer { H5Sclose(space) }
                    let rank = Int(H5Sget_simple_extent_ndims(space))
                    var dims = [hsize_t](repeating: 0, count: max(rank, 0))
                    if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
                    found.items.append(("/" + String(cString: name), dims.map { Int($0) }))
                    return 0
                }, Unmanaged.passUnretained(found).toOpaque())
            }
            try Library.check(status, "H5Lvisit", "listing the datasets of \(path)")
            return found.items
        }
    }
}
