import Core
import Formats

extension ScanInputs {
    /// Reads an areaDetector NDFileHDF5 scan (any layout): frames at `data_path`, positions from datasets (per frame
    /// or per position), energy, distance and pixel size from the command line, datasets or attributes, with units;
    /// darks, flats and a static mask from datasets of the input or from other files.
    /// - Throws: ``ConfigError`` naming the key and file at fault (a missing dataset lists what the file holds).
    public init(areaDetector s: PtychoSettings) throws(ConfigError) {
        func required(_ source: QuantitySource?, _ key: String, _ kind: Quantity.Kind) throws(ConfigError) -> QuantitySource {
            guard let source else {
                throw ConfigError(key: key, "missing: give \(key) with a unit (e.g. \(Quantity.example(kind))) or "
                                  + "\(key)_path (a dataset or /path@attribute of the input)")
            }
            return source
        }
        let (energy, distance, pixelSize) = (try required(s.energy, "energy", .energy),
                                             try required(s.distance, "distance", .length),
                                             try required(s.pixelSize, "pixel_size", .length))
        let frames: FrameInputs
        do { frames = try FrameInputs([s.input], dataPath: s.dataPath) } catch {
            throw ConfigError(key: s.dataPath == nil ? "input" : "data_path", "\(error)")
        }
        let size: (rows: Int, columns: Int)
        do { size = try frames.firstFrameSize() } catch { throw ConfigError(key: "input", "\(error)") }
        let n = frames.count
        func values(_ path: String, key: String) throws(ConfigError) -> StoredValues {
            do { return try StoredValues(dataset: path, in: s.input) } catch { throw ConfigError(key: key, "\(error)") }
        }
        func perFrame(_ v: StoredValues, key: String) throws(ConfigError) -> [Double] {
            let fpp = s.framesPerPosition
            if v.values.count == n { return v.values }
            if v.values.count * fpp == n { return v.values.flatMap { Array(repeating: $0, count: fpp) } }
            throw ConfigError(key: key, "\(s.input): \(v.values.count) values for \(n) frames "
                              + (fpp > 1 ? "or \(n / fpp) positions of \(fpp) frames" : "") + " (shape \(v.shape))")
        }
        func metres(_ v: StoredValues, key: String) throws(ConfigError) -> Double {
            guard let unit = s.positionUnit ?? v.units else {
                throw ConfigError(key: "pos_units", "\(s.input): \(key) has no units attribute; give pos_units (m, mm, um, nm)")
            }
            return try Quantity.factor(unit, kind: .length, key: "pos_units") * s.positionScale
        }
        let xs = try values(s.positionX, key: "pos_x"), ys = try values(s.positionY, key: "pos_y")
        let (fx, fy) = (try metres(xs, key: s.positionX), try metres(ys, key: s.positionY))
        let x = try perFrame(xs, key: "pos_x").map { $0 * fx }
        let y = try perFrame(ys, key: "pos_y").map { $0 * fy }
        var exposure: [Double]?
        if let e = s.exposure { exposure = Array(repeating: e, count: n) }
        if let path = s.exposurePath { exposure = try perFrame(try values(path, key: "exposure_path"), key: "exposure_path") }
        let geometry = ScanGeometry(
            x: x, y: y, energyEV: try Self.quantity(energy, key: "energy", kind: .energy, in: s.input),
            distanceM: try Self.quantity(distance, key: "distance", kind: .length, in: s.input),
            pixelM: try Self.quantity(pixelSize, key: "pixel_size", kind: .length, in: s.input), exposureS: exposure)
        let response = try Self.response(s, rows: size.rows, columns: size.columns)
        try self.init(checking: frames, order: Array(0..<n), rows: size.rows, columns: size.columns, geometry: geometry,
                      settings: s, response: response)
    }

    /// Checks the frame count against `frames_per_pos` and the geometry's lengths, then keeps the inputs.
    init(checking frames: FrameInputs, order: [Int], rows: Int, columns: Int, geometry: ScanGeometry,
         settings s: PtychoSettings, response: DetectorResponse, storedType: ElementType? = nil) throws(ConfigError) {
        let n = order.count
        guard n % s.framesPerPosition == 0 else {
            throw ConfigError(key: "frames_per_pos", "\(n) frames are not a whole number of positions of "
                              + "\(s.framesPerPosition) frames")
        }
        try ConfigError.bound(geometry.energyEV, key: "energy", 10, 1e7, unit: "eV")
        try ConfigError.bound(geometry.distanceM, key: "distance", 0, 1e3, lowerOpen: true, unit: "m")
        try ConfigError.bound(geometry.pixelM, key: "pixel_size", 0, 1, lowerOpen: true, unit: "m")
        let stored = storedType ?? frames.file(of: 0).storedType
        self.init(frames: frames, order: order, rows: rows, columns: columns, geometry: geometry,
                  saturation: Self.saturationLevel(s.saturation, stored: stored), response: response)
    }

    /// A scalar quantity in stored units (eV or m) from the command line, a dataset or an attribute of `file`.
    static func quantity(_ source: QuantitySource, key: String, kind: Quantity.Kind, in file: String) throws(ConfigError) -> Double {
        let stored: StoredValues, unit: String?, place: String
        do {
            switch source {
            case .given(let q): return q.value
            case .dataset(let path, let u):
                stored = try StoredValues(dataset: path, in: file)
                (unit, place) = (u ?? stored.units, path)
            case .attribute(let object, let name, let u):
                stored = try StoredValues(attribute: name, of: object, in: file)
                (unit, place) = (u ?? stored.units, object + "@" + name)
            }
        } catch { throw ConfigError(key: key + "_path", "\(error)") }
        guard let first = stored.values.first else { throw ConfigError(key: key + "_path", "\(file): \(place) is empty") }
        guard stored.values.allSatisfy({ $0 == first }) else {
            throw ConfigError(key: key + "_path", "\(file): \(place) varies over the scan (\(stored.values.count) values); "
                              + "one \(key) per scan is supported")
        }
        guard let unit else {
            throw ConfigError(key: key + "_path", "\(file): \(place) has no units attribute: append the unit, e.g. "
                              + "\(place)[\(kind.storedUnit)]")
        }
        return first * (try Quantity.factor(unit, kind: kind, key: key + "_path"))
    }

    /// The detector response from the darks, flats and static mask the settings name.
    static func response(_ s: PtychoSettings, rows: Int, columns: Int) throws(ConfigError) -> DetectorResponse {
        // Stacks are averaged one frame at a time (a dark or flat series is never held whole); a single 2-D
        // frame in the input is read as it is.
        func stack(path: String?, file: String?, key: String) throws(ConfigError) -> [Double]? {
            if let path {
                let source = "\(s.input): \(path)"
                do {
                    if try StoredValues.shape(of: path, in: s.input).count >= 3 {
                        return try meanFrame(FrameInputs([s.input], dataPath: path), rows: rows, columns: columns,
                                             key: key + "_path", source: source)
                    }
                    let v = try StoredValues(dataset: path, in: s.input)
                    return try meanFrame(v, rows: rows, columns: columns, key: key + "_path", source: source)
                } catch let error as ConfigError { throw error } catch { throw ConfigError(key: key + "_path", "\(error)") }
            }
            if let file {
                do {
                    return try meanFrame(FrameInputs([file], dataPath: nil), rows: rows, columns: columns, key: key,
                                         source: file)
                } catch let error as ConfigError { throw error } catch { throw ConfigError(key: key, "\(error)") }
            }
            return nil
        }
        let dark = try stack(path: s.darkPath, file: s.darkFile, key: "dark")
        let flat = try stack(path: s.flatPath, file: s.flatFile, key: "flat")
        var mask: [Bool]?
        if let path = s.maskPath {
            let v: StoredValues
            do { v = try StoredValues(dataset: path, in: s.input) } catch { throw ConfigError(key: "mask_path", "\(error)") }
            mask = try maskValues(v, rows: rows, columns: columns, key: "mask_path", source: "\(s.input): \(path)")
        } else if let file = s.maskFile {
            let v: StoredValues
            if file.lowercased().hasSuffix(".tif") || file.lowercased().hasSuffix(".tiff") {
                v = try framesOf(file, key: "mask", rows: rows, columns: columns)
            } else {
                do { v = try StoredValues(dataset: s.maskFilePath, in: file) } catch { throw ConfigError(key: "mask", "\(error)") }
            }
            mask = try maskValues(v, rows: rows, columns: columns, key: "mask", source: file)
        }
        return DetectorResponse(rows: rows, columns: columns, darkMean: dark, flatMean: flat, staticMask: mask,
                                hotSigma: s.hotSigma, deadFraction: s.deadFraction)
    }

    private static func maskValues(_ v: StoredValues, rows: Int, columns: Int, key: String,
                                   source: String) throws(ConfigError) -> [Bool] {
        guard v.values.count == rows * columns, v.shape.suffix(2) == [rows, columns] else {
            throw ConfigError(key: key, "\(source) has shape \(v.shape); a mask of \(rows) × \(columns) expected")
        }
        return v.values.map { $0 != 0 }
    }
}
