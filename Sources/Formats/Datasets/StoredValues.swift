import Core
import HDF5

/// Numbers stored in an HDF5 file (a dataset, or a numeric attribute of an object), with their extent and the
/// `units` attribute when the file gives one: what a workload reads besides frames (stage positions, energies,
/// dark and flat stacks, masks).
public struct StoredValues: Sendable, Equatable {
    /// The values in row-major order, as doubles.
    public let values: [Double]
    /// The extent; `[]` for a scalar.
    public let shape: [Int]
    /// The `units` attribute of the dataset (or of the attribute's object), if any.
    public let units: String?

    /// A value set as given (tests, and values computed from others).
    public init(values: [Double], shape: [Int], units: String?) {
        self.values = values
        self.shape = shape
        self.units = units
    }

    /// Reads dataset `name` of the HDF5 file `path`.
    /// - Throws: ``FormatError`` naming the file and dataset; a missing dataset's message lists what the file holds.
    public init(dataset name: String, in path: String) throws(FormatError) {
        let file = try Self.open(path)
        defer { try? file.close() }
        guard (try? file.exists(name)) == true else {
            throw FormatError(file: path, message: "no dataset \(name); \(file.datasetSummary())")
        }
        do {
            let dataset = try file.openDataset(name)
            if case .string = dataset.type { throw FormatError(file: path, message: "dataset \(name) holds strings, not numbers") }
            shape = dataset.shape
            values = try dataset.readAllDoubles()
            units = Self.text(try file.attribute("units", on: name))
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "dataset \(name): \(error)")
        }
    }

    /// Reads the numeric attribute `attribute` of the object (group or dataset) at `object` in the file `path`; its
    /// units are the object's `<attribute>_units` or `units` attribute.
    /// - Throws: ``FormatError`` naming the file, object and attribute.
    public init(attribute: String, of object: String, in path: String) throws(FormatError) {
        let file = try Self.open(path)
        defer { try? file.close() }
        guard (try? file.exists(object)) == true || object == "/" else {
            throw FormatError(file: path, message: "no object \(object) (for its attribute \(attribute)); "
                              + file.datasetSummary())
        }
        let value: AttributeValue?
        do { value = try file.attribute(attribute, on: object) } catch {
            throw FormatError(file: path, message: "attribute \(attribute) of \(object): \(error)")
        }
        switch value {
        case .double(let x): (values, shape) = ([x], [])
        case .int(let x): (values, shape) = ([Double(x)], [])
        case .doubles(let xs): (values, shape) = (xs, [xs.count])
        case .ints(let xs): (values, shape) = (xs.map(Double.init), [xs.count])
        case .string(let text):
            guard let x = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw FormatError(file: path, message: "attribute \(attribute) of \(object) is '\(text)', not a number")
            }
            (values, shape) = ([x], [])
        case nil:
            throw FormatError(file: path, message: "\(object) has no attribute \(attribute)")
        default:
            throw FormatError(file: path, message: "attribute \(attribute) of \(object) is not a number")
        }
        units = Self.text(try? file.attribute(attribute + "_units", on: object))
            ?? Self.text(try? file.attribute("units", on: object))
    }

    /// The extent of dataset `name` in the file `path`, without reading it.
    /// - Throws: ``FormatError`` naming the file and dataset; a missing dataset's message lists what the file holds.
    public static func shape(of name: String, in path: String) throws(FormatError) -> [Int] {
        let file = try open(path)
        defer { try? file.close() }
        guard (try? file.exists(name)) == true else {
            throw FormatError(file: path, message: "no dataset \(name); \(file.datasetSummary())")
        }
        do { return try file.openDataset(name).shape } catch {
            throw FormatError(file: path, message: "dataset \(name): \(error)")
        }
    }

    private static func open(_ path: String) throws(FormatError) -> File {
        do { return try File.open(path) } catch { throw FormatError(file: path, message: "cannot open as HDF5: \(error)") }
    }

    private static func text(_ value: AttributeValue?) -> String? {
        switch value {
        case .string(let s): s
        case .strings(let s): s.first
        default: nil
        }
    }
}
