import HDF5

/// A finished job's `<job>.h5`, opened read-only on one process (for quality control and exports after a run).
public struct JobOutputFile {
    let file: HDF5.File
    /// The job's group name, e.g. `saxs`.
    public let job: String
    /// The path of the opened file.
    public let path: String

    /// Opens `<directory>/<job>.h5`.
    /// - Throws: ``BatchError`` naming the file when it is missing, unfinished or unreadable.
    public init(directory: String, job: String) throws {
        try self.init(path: directory + "/" + job + ".h5", job: job)
    }

    /// Opens the output of job `job` at `path` (moved or renamed since the run).
    /// - Throws: ``BatchError`` naming the file when it is missing, unfinished or unreadable.
    public init(path: String, job: String) throws {
        self.path = path
        self.job = job
        guard Files.exists(path) else {
            let hint = Files.exists(path + ".partial") ? " (only the unfinished \(path).partial: run with --resume)" : ""
            throw BatchError(.output, "\(path) does not exist\(hint)", agreed: true)
        }
        do { file = try HDF5.File.open(path) } catch {
            throw BatchError(.io, "\(path): \(error)", agreed: true)
        }
    }

    private func dataset(_ name: String) throws -> Dataset {
        do { return try file.openDataset("/\(job)/\(name)") } catch {
            throw BatchError(.io, "\(path): dataset /\(job)/\(name): \(error)", agreed: true)
        }
    }

    /// All values of `/<job>/<name>` and the number of values per item.
    public func doubles(_ name: String) throws -> (values: [Double], perItem: Int) {
        let ds = try dataset(name)
        do { return (try ds.read(Double.self), ds.rowSize) } catch {
            throw BatchError(.io, "\(path): reading /\(job)/\(name): \(error)", agreed: true)
        }
    }

    /// A hyperslab of `/<job>/<name>` as floats (one sinogram of a tomogram, without reading the rest).
    public func floats(_ name: String, offset: [Int], count: [Int]) throws -> [Float] {
        let ds = try dataset(name)
        do { return try ds.read(Float.self, offset: offset, count: count) } catch {
            throw BatchError(.io, "\(path): reading /\(job)/\(name) at \(offset): \(error)", agreed: true)
        }
    }

    /// A hyperslab of `/<job>/<name>` as bytes (a block of a uint8 mask).
    public func bytes(_ name: String, offset: [Int], count: [Int]) throws -> [UInt8] {
        let ds = try dataset(name)
        do { return try ds.read(UInt8.self, offset: offset, count: count) } catch {
            throw BatchError(.io, "\(path): reading /\(job)/\(name) at \(offset): \(error)", agreed: true)
        }
    }

    /// The extent of `/<job>/<name>`.
    public func shape(_ name: String) throws -> [Int] { try dataset(name).shape }

    /// All values of `/<job>/<name>` as int32 (class or instrument indices).
    public func integers(_ name: String) throws -> [Int32] {
        let ds = try dataset(name)
        do { return try ds.read(Int32.self) } catch {
            throw BatchError(.io, "\(path): reading /\(job)/\(name): \(error)", agreed: true)
        }
    }

    /// All values of the string dataset `/<job>/<name>`.
    public func strings(_ name: String) throws -> [String] {
        let ds = try dataset(name)
        do { return try ds.readStrings() } catch {
            throw BatchError(.io, "\(path): reading /\(job)/\(name): \(error)", agreed: true)
        }
    }

    /// An attribute of `/<job>/<name>` (or of the job's group when `name` is nil).
    public func attribute(_ attribute: String, of name: String? = nil) throws -> AttributeValue? {
        do { return try file.attribute(attribute, on: "/\(job)" + (name.map { "/" + $0 } ?? "")) } catch {
            throw BatchError(.io, "\(path): attribute \(attribute): \(error)", agreed: true)
        }
    }

    /// Closes the file; the value must not be used afterwards.
    public func close() throws { try file.close() }
}
