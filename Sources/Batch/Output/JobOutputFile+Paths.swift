import Core
import HDF5

/// Reading any object of the file by its absolute path (reports read `/stats`, file attributes and the NXcanSAS
/// groups of `integrated.h5`), by hyperslab so that a report of a huge file reads only what it shows.
extension JobOutputFile {
    /// Every dataset in the file with its shape, in name order.
    public func datasets() throws -> [(path: String, shape: [Int])] {
        do { return try file.datasetList() } catch { throw BatchError(.io, "\(path): listing datasets: \(error)", agreed: true) }
    }

    /// An attribute of the object at the absolute `objectPath` ("/" for the file's own attributes).
    public func attribute(_ name: String, at objectPath: String) throws -> AttributeValue? {
        do { return try file.attribute(name, on: objectPath) } catch {
            throw BatchError(.io, "\(path): attribute \(name) of \(objectPath): \(error)", agreed: true)
        }
    }

    /// The extent of the dataset at the absolute `datasetPath`, or nil when there is none.
    public func shape(at datasetPath: String) throws -> [Int]? {
        guard (try? file.exists(datasetPath)) == true else { return nil }
        return try open(datasetPath).shape
    }

    /// The values of the dataset at `datasetPath` as `T` (converted by HDF5): all of them, or the hyperslab at
    /// `offset` of extent `count`.
    public func read<T: NumericElement>(_ type: T.Type, at datasetPath: String, offset: [Int]? = nil,
                                        count: [Int]? = nil) throws -> [T] {
        let dataset = try open(datasetPath)
        do {
            if let offset, let count { return try dataset.read(T.self, offset: offset, count: count) }
            return try dataset.read(T.self)
        } catch { throw BatchError(.io, "\(path): reading \(datasetPath): \(error)", agreed: true) }
    }

    /// The strings of the string dataset at `datasetPath`.
    public func strings(at datasetPath: String) throws -> [String] {
        let dataset = try open(datasetPath)
        do { return try dataset.readStrings() } catch {
            throw BatchError(.io, "\(path): reading \(datasetPath): \(error)", agreed: true)
        }
    }

    private func open(_ datasetPath: String) throws -> Dataset {
        do { return try file.openDataset(datasetPath) } catch {
            throw BatchError(.io, "\(path): dataset \(datasetPath): \(error)", agreed: true)
        }
    }
}
