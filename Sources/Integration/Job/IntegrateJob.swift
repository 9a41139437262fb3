import Batch
import Core
import Formats
import Foundation
import LibTIFF
import Synchronization

/// Choices of `beamforge integrate` beyond the calibration.
public struct IntegrateSettings: Sendable, Equatable {
    public var splitting: PixelSplitting = .oversampling
    /// Q in Å⁻¹ instead of nm⁻¹ in `integrated.h5` (`.chi` files keep SAXSDog's nm⁻¹).
    public var angstrom = false
    /// The value of bins no unmasked pixel reaches: NaN (current SAXSDog) or 0 (its older files).
    public var emptyBins: Double = .nan
    /// Exclude negative pixels frame by frame.
    public var maskNegative = true
    /// Exclude pixels at or above this value; nil: the maximum of unsigned integer frame types.
    public var overflow: Double?
    /// Write a SAXSDog `.chi` file per frame and integration.
    public var chi = false

    public init() {}
}

/// Integration of detector frames: the frames are the items, split across ranks; every integration of the
/// calibration (its `Masks` list, then its GISAXS `Slices`) is a sparse matrix built once per rank and applied to
/// blocks of frames.
///
/// Output: `integrated.h5`, an NXcanSAS file whose entry `/integrated` holds one SASdata group per radial
/// integration (`sasdata01`: `I`, `Idev` as frames × bins, `Q`), an NXdata group per phi-mode integration
/// (`phi02`) and per GISAXS cut (`cut03`, axis `q`); with ``IntegrateSettings/chi``, `chi/<frame>.chi` files as
/// SAXSDog writes them. Groups and files are numbered by SAXSDog's list (Masks, then Slices), so in GISAXS mode,
/// which skips the first integration, numbering still starts at 2.
public struct IntegrateJob: Job {
    public let name = "integrated"
    public let calibration: Calibration
    public let inputs: FrameInputs
    public let options: IntegrateSettings
    public let matrices: [IntegrationMatrix]
    /// Each matrix's index in SAXSDog's list of Masks then Slices.
    public let saxsdogIndices: [Int]
    /// The calibration as Python's `json.dumps` writes it (the first line of every `.chi` file).
    let calibrationDump: String
    /// The frames of a block, kept from batch to batch (fresh pages would cost a fault each).
    private let frameBuffer = FrameBuffer()

    public init(calibration: Calibration, inputs: FrameInputs, options: IntegrateSettings) throws {
        let rows = calibration.geometry.rows, columns = calibration.geometry.columns
        try inputs.checkShapes(rows: rows, columns: columns)
        self.calibration = calibration
        self.inputs = inputs
        self.options = options
        calibrationDump = calibration.json?.pythonDumps ?? "{}"
        var masks: [Int: [Bool]?] = [:]
        func valid(_ m: Int) throws -> [Bool]? {
            if let loaded = masks[m] { return loaded }
            let loaded = try Self.loadMask(calibration.integrations[m].maskFile, rows: rows, columns: columns,
                                           calibration: calibration.file)
            masks[m] = loaded
            return loaded
        }
        var matrices: [IntegrationMatrix] = [], saxsdogIndices: [Int] = []
        // SAXSDog's GISAXS mode writes the slices only, not the first integration.
        for (m, settings) in calibration.integrations.enumerated() where !(calibration.gisaxsMode && m == 0) {
            matrices.append(IntegrationMatrix(calibration: calibration, settings: settings, valid: try valid(m),
                                              splitting: settings.phiMode ? .oversampling : options.splitting))
            saxsdogIndices.append(m)
        }
        if !calibration.slices.isEmpty {
            guard case .fit2d(let geometry) = calibration.geometry else {
                throw CalibrationError(calibration.file, "Slices need a SAXSDog geometry")
            }
            for (s, cut) in calibration.slices.enumerated() {
                matrices.append(IntegrationMatrix(cut: cut, geometry: geometry, wavelength: calibration.wavelength,
                                                  valid: try cut.maskIndex.map(valid) ?? nil))
                saxsdogIndices.append(calibration.integrations.count + s)
            }
        }
        self.matrices = matrices
        self.saxsdogIndices = saxsdogIndices
    }

    /// Per pixel, true where the mask leaves it in: a Fit2D `.msk` or an image (nonzero = masked).
    public static func loadMask(_ file: String?, rows: Int, columns: Int, calibration: String) throws -> [Bool]? {
        guard let file else { return nil }
        guard FileManager.default.fileExists(atPath: file) else {
            throw CalibrationError(calibration, "MaskFile: \(file) does not exist")
        }
        let masked: [Bool], size: (Int, Int)
        if file.lowercased().hasSuffix(".msk") {
            let mask = try Fit2DMask(contentsOf: file)
            (masked, size) = (mask.masked, (mask.height, mask.width))
        } else {
            let image = try TIFF.read(file)
            (masked, size) = (image.pixels.map { $0 != 0 }, (image.rows, image.columns))
        }
        guard size == (rows, columns) else {
            throw CalibrationError(calibration, "MaskFile \(file) is \(size.0) × \(size.1) pixels; the detector is "
                                   + "\(rows) × \(columns)")
        }
        return masked.map { !$0 }
    }

    // MARK: Layout

    /// The group of matrix `m`: `sasdata01`… for radial integrations, `phi02`… for phi-mode ones, `cut03`… for
    /// GISAXS cuts, numbered from 1 in SAXSDog's list.
    public func groupName(_ m: Int) -> String {
        let prefix = switch matrices[m].axis {
        case .radial: "sasdata"
        case .azimuthal: "phi"
        case .cut: "cut"
        }
        return prefix + String(format: "%02d", saxsdogIndices[m] + 1)
    }

    /// The NXdata axis of matrix `m`'s curves: `Q`, `phi` or `q` (a GISAXS cut's signed q_v or q_h).
    func axisName(_ m: Int) -> String {
        switch matrices[m].axis {
        case .radial: "Q"
        case .azimuthal: "phi"
        case .cut: "q"
        }
    }

    public var itemCount: Int { inputs.count }

    public var outputs: [OutputSpec] {
        matrices.indices.flatMap { m -> [OutputSpec] in
            let g = groupName(m), bins = matrices[m].bins
            let units: [String: AttributeValue] = ["units": .string("arbitrary")]
            return [
                OutputSpec(g + "/I", type: .float64, itemShape: [bins],
                           attributes: units.merging(["uncertainties": .string("Idev")]) { $1 }),
                OutputSpec(g + "/Idev", type: .float64, itemShape: [bins], attributes: units.merging([
                    "description": .string("standard error propagated from Poisson variances max(n, 1)")]) { $1 }),
                OutputSpec(g + "/Idev_saxsdog", type: .float64, itemShape: [bins], attributes: units.merging([
                    "description": .string("SAXSDog's error margin sqrt(sum c n corr)/sum c (.chi column 3)")]) { $1 }),
                OutputSpec(g + "/Istd", type: .float64, itemShape: [bins], attributes: units.merging([
                    "description": .string("split-weighted standard deviation of the pixels in each bin")]) { $1 }),
            ]
        }
    }

    public var groupAttributes: [String: AttributeValue] {
        ["NX_class": .string("NXentry"), "canSAS_class": .string("SASentry"), "version": .string("1.1"),
         "default": .string(groupName(matrices.firstIndex { $0.axis == .radial } ?? 0))]
    }

    public var subgroups: [GroupSpec] {
        var groups = matrices.indices.map { m -> GroupSpec in
            if matrices[m].axis == .radial {
                return GroupSpec(groupName(m), attributes: [
                    "NX_class": .string("NXdata"), "canSAS_class": .string("SASdata"), "signal": .string("I"),
                    "I_axes": .strings([".", "Q"]), "Q_indices": .ints([1]),
                ])
            }
            return GroupSpec(groupName(m), attributes: [
                "NX_class": .string("NXdata"), "signal": .string("I"), "axes": .strings([".", axisName(m)]),
                axisName(m) + "_indices": .ints([1]),
            ])
        }
        groups.append(GroupSpec("sasinstrument", attributes: ["NX_class": .string("NXinstrument"),
                                                               "canSAS_class": .string("SASinstrument")]))
        groups.append(GroupSpec("sasinstrument/sassource", attributes: ["NX_class": .string("NXsource"),
                                                                         "canSAS_class": .string("SASsource")]))
        groups.append(GroupSpec("sasinstrument/sasdetector", attributes: ["NX_class": .string("NXdetector"),
                                                                           "canSAS_class": .string("SASdetector")]))
        groups.append(GroupSpec("sasprocess", attributes: ["NX_class": .string("NXprocess"),
                                                            "canSAS_class": .string("SASprocess")]))
        return groups
    }

    public func constants(timestamp: String) -> [ConstantSpec] {
        var list: [ConstantSpec] = [
            ConstantSpec("definition", .string("NXcanSAS")),
            ConstantSpec("title", .string(calibration.title.isEmpty ? "beamforge integrate" : calibration.title)),
            ConstantSpec("run", .string(inputs.sources.count == 1 ? inputs.sources[0].path
                                        : "\(inputs.sources.count) files, \(inputs.count) frames")),
            ConstantSpec("sasinstrument/sassource/radiation", .string("X-ray")),
            ConstantSpec("sasinstrument/sassource/incident_wavelength", .float64([calibration.wavelength]),
                         attributes: ["units": .string("angstrom")]),
            ConstantSpec("sasinstrument/sasdetector/name", .string("area detector")),
            ConstantSpec("sasprocess/name", .string("beamforge integrate")),
            ConstantSpec("sasprocess/date", .string(timestamp)),
            ConstantSpec("sasprocess/description", .string(processDescription)),
        ]
        let distance: Double = switch calibration.geometry {
        case .fit2d(let g): g.distanceMM * 1e-3
        case .poni(let g): g.distance
        }
        list.append(ConstantSpec("sasinstrument/sasdetector/SDD", .float64([distance]), attributes: ["units": .string("m")]))
        if calibration.json != nil {
            list.append(ConstantSpec("sasprocess/calibration", .string(calibrationDump)))
        }
        for m in matrices.indices {
            let matrix = matrices[m], path = groupName(m) + "/" + axisName(m)
            let factor = options.angstrom ? 0.1 : 1
            let unit = options.angstrom ? "1/angstrom" : "1/nm"
            switch matrix.axis {
            case .radial:
                list.append(ConstantSpec(path, .float64(matrix.centers.map { $0 * factor }),
                                         attributes: ["units": .string(unit)]))
            case .azimuthal:
                list.append(ConstantSpec(path, .float64(matrix.centers), attributes: ["units": .string("rad")]))
            case .cut(let plane):
                let description = plane == .vertical
                    ? "vertical scattering vector q_v = -(2 pi/lambda)(sin alpha_f + sin alpha_i)"
                    : "horizontal scattering vector q_h = (4 pi/lambda) sin(2theta_f/2), signed"
                list.append(ConstantSpec(path, .float64(matrix.centers.map { $0 * factor }),
                                         attributes: ["units": .string(unit), "long_name": .string(description)]))
            }
        }
        return list
    }

    var processDescription: String {
        let modes = matrices.indices.map { m in
            let n = saxsdogIndices[m], matrix = matrices[m]
            guard n < calibration.integrations.count else {
                let cut = calibration.slices[n - calibration.integrations.count]
                return "\(groupName(m)): GISAXS cut along \(cut.direction) (\(cut.plane.rawValue)) at \(cut.cutPosition) "
                    + "+- \(cut.cutMargin) px, incident angle \(cut.incidentAngleDeg) deg, \(matrix.bins) bins, "
                    + "mask \(cut.maskIndex.flatMap { calibration.integrations[$0].maskFile } ?? "none")"
            }
            let s = calibration.integrations[n]
            let split = s.phiMode || options.splitting == .oversampling ? "oversampling \(s.oversampling)" : "full pixel splitting"
            return "\(groupName(m)): \(s.phiMode ? "phi-mode" : "radial"), \(matrix.bins) bins, \(split), "
                + "\(matrix.nonZeros) matrix entries, mask \(s.maskFile ?? "none")"
        }
        return "Azimuthal integration with SAXSDog's geometry and binning (calibration \(calibration.file)); "
            + (calibration.polarization.map { "polarization fraction \($0.fraction) at \($0.angleDeg) deg; " } ?? "")
            + "I is the mean of the corrected pixel values per bin; Idev its propagated standard error. "
            + modes.joined(separator: "; ")
    }

    public var metadataColumns: [String] {
        var columns = ["frame", "source", "source_frame"]
        for m in matrices.indices where matrices[m].axis == .radial {
            columns += ["I0", "I1", "I2"].map { groupName(m) + "_" + $0 }
        }
        return columns + ["total_counts", "excluded_pixels"]
    }

    public var workingBytesPerItem: Int { calibration.geometry.rows * calibration.geometry.columns * 8 }

    // MARK: Producing

    public func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        try produce(batch: [context])[0]
    }

    public func produce(batch: [ItemContext]) throws -> [ItemOutput] {
        let pixels = calibration.geometry.rows * calibration.geometry.columns
        return try frameBuffer.storage.withLock { input in
            // A block's frames at 4 bytes per pixel (the widest type read unconverted).
            let needed = min(batch.count, FrameBlock.lanes) * pixels
            if input.count < needed { input = [UInt32](repeating: 0, count: needed) }
            var outputs: [ItemOutput] = []
            outputs.reserveCapacity(batch.count)
            var start = 0
            while start < batch.count {
                let items = batch[start..<min(batch.count, start + FrameBlock.lanes)].map(\.item)
                let (curves, loaded) = try input.withUnsafeMutableBytes { raw in
                    let (type, frames, masks) = try read(items, into: raw, pixels: pixels)
                    return integrate(frames, type: type, masks: masks)
                }
                // Frames used in place leave the resident set again (memory must not grow with the stack).
                for item in items {
                    let (source, index) = inputs.frames[item]
                    if case .stack(let stack) = inputs.sources[source] { stack.releaseMapped(index) }
                }
                for (lane, item) in items.enumerated() {
                    outputs.append(try output(item: item, curves: curves.map { $0[lane] }, loaded: loaded[lane]))
                }
                start += items.count
            }
            return outputs
        }
    }

    /// Integrates frames of `type` (one pointer per frame) with every matrix.
    private func integrate(_ frames: [UnsafeRawPointer], type: PixelType,
                           masks: [DynamicMask]) -> (curves: [[IntegratedCurve]], loaded: [(excluded: Int, total: Double)]) {
        let pixels = calibration.geometry.rows * calibration.geometry.columns
        func typed<T: FrameValue>(_: T.Type) -> (curves: [[IntegratedCurve]], loaded: [(excluded: Int, total: Double)]) {
            IntegrationMatrix.integrate(frames.map { UnsafeBufferPointer(start: $0.assumingMemoryBound(to: T.self), count: pixels) },
                                        masks: masks, with: matrices, empty: options.emptyBins)
        }
        return switch type {
        case .float32: typed(Float.self)
        case .int32: typed(Int32.self)
        case .uint32: typed(UInt32.self)
        case .uint16: typed(UInt16.self)
        case .int16: typed(Int16.self)
        case .uint8: typed(UInt8.self)
        }
    }

    /// The frames `items` (in order), all of one pixel type: the stacks' own when the block holds frames of one
    /// stack type only, else float32. Frames of a stack stored contiguously in that type are used where the file
    /// is mapped; the others are read into consecutive frames of `raw`.
    /// - Returns: that type, a pointer to each frame, and each frame's dynamic mask (which depends on its stored
    ///   type).
    private func read(_ items: [Int], into raw: UnsafeMutableRawBufferPointer,
                      pixels: Int) throws -> (PixelType, [UnsafeRawPointer], [DynamicMask]) {
        let types = Set(items.map { item -> PixelType in
            if case .stack(let stack) = inputs.sources[inputs.frames[item].source] { return stack.pixelType }
            return .float32
        })
        let type = types.count == 1 ? types.first! : .float32
        let floats = raw.baseAddress!.bindMemory(to: Float.self, capacity: items.count * pixels)
        var masks: [DynamicMask] = []
        var frames: [UnsafeRawPointer] = []
        var i = 0
        while i < items.count {
            let (source, index) = inputs.frames[items[i]]
            switch inputs.sources[source] {
            case .tiff(let path):
                let image: TIFFImage
                do { image = try TIFF.read(path) } catch { throw ItemFailure(item: items[i], underlying: error) }
                guard image.rows == calibration.geometry.rows, image.columns == calibration.geometry.columns else {
                    throw ItemFailure(item: items[i], underlying: FormatError(file: path, message:
                        "the frame is \(image.rows) × \(image.columns) pixels; the calibration's Imagesize is "
                        + "\(calibration.geometry.rows) × \(calibration.geometry.columns)"))
                }
                _ = UnsafeMutableBufferPointer(start: floats + i * pixels, count: pixels).update(fromContentsOf: image.pixels)
                masks.append(dynamicMask(image.unsignedMaximum))
                frames.append(UnsafeRawPointer(floats + i * pixels))
                i += 1
            case .stack(let stack):
                // A run of consecutive frames of this stack in one read.
                var n = 1
                while i + n < items.count, inputs.frames[items[i + n]].source == source,
                      inputs.frames[items[i + n]].index == index + n { n += 1 }
                let size = type.size * pixels
                let mapped = type == stack.pixelType ? (index..<index + n).compactMap(stack.mappedFrame) : []
                if mapped.count == n {
                    frames += mapped
                    masks += Array(repeating: dynamicMask(stack.unsignedMaximum), count: n)
                    i += n
                    continue
                }
                do {
                    if type == .float32 {
                        try stack.read(frames: index..<index + n,
                                       into: UnsafeMutableBufferPointer(start: floats + i * pixels, count: n * pixels))
                    } else {
                        try stack.read(frames: index..<index + n, intoRaw: UnsafeMutableRawBufferPointer(
                            rebasing: raw[(i * pixels * type.size)...]))
                    }
                } catch { throw ItemFailure(item: items[i], underlying: error) }
                frames += (0..<n).map { UnsafeRawPointer(raw.baseAddress! + (i + $0) * size) }
                masks += Array(repeating: dynamicMask(stack.unsignedMaximum), count: n)
                i += n
            }
        }
        return (type, frames, masks)
    }

    private func dynamicMask(_ typeMaximum: Double?) -> DynamicMask {
        DynamicMask(negative: options.maskNegative, overflow: (options.overflow ?? typeMaximum).map { Float($0) })
    }

    private func output(item: Int, curves: [IntegratedCurve], loaded: (excluded: Int, total: Double)) throws -> ItemOutput {
        var values: [String: Values] = [:]
        var row = [String(item), inputs.sources[inputs.frames[item].source].path, String(inputs.frames[item].index)]
        var files: [ItemFile] = []
        let base = inputs.frameName(item)
        for (m, curve) in curves.enumerated() {
            let g = groupName(m)
            values[g + "/I"] = .float64(curve.intensity)
            values[g + "/Idev"] = .float64(curve.standardError)
            values[g + "/Idev_saxsdog"] = .float64(curve.saxsdogError)
            values[g + "/Istd"] = .float64(curve.deviation)
            var integrals = (i0: 0.0, i1: 0.0, i2: 0.0)
            if matrices[m].axis == .radial {
                let settings = calibration.integrations[saxsdogIndices[m]]
                integrals = IntegralParameters.compute(q: matrices[m].centers, intensity: curve.intensity,
                                                       qStart: settings.qStart, qStop: settings.qStop)
                row += [integrals.i0, integrals.i1, integrals.i2].map { JSONValue.pythonFloatRepr($0) }
            }
            if options.chi {
                // SAXSDog's names: its first calibration as <frame>.chi, the others <frame>_c<R|P|S><index>.chi.
                let n = saxsdogIndices[m], bins = matrices[m].bins
                let (kind, header): (String, [String]) = switch matrices[m].axis {
                case .radial: ("R", ChiFile.header(calibrationJSON: calibrationDump, integrals: integrals,
                                                   labels: ChiFile.radialLabels, rows: bins))
                case .azimuthal: ("P", ChiFile.header(calibrationJSON: calibrationDump, integrals: integrals,
                                                      labels: ChiFile.phiLabels, rows: bins))
                case .cut(let plane): ("S", ChiFile.cutHeader(calibrationJSON: calibrationDump, rows: bins, labels:
                                                                plane == .vertical ? ChiFile.verticalCutLabels
                                                                    : ChiFile.inPlaneCutLabels))
                }
                let path = "chi/" + base + (n == 0 ? "" : "_c\(kind)\(n)") + ".chi"
                let columns = [matrices[m].centers, curve.intensity, curve.saxsdogError]
                files.append(ItemFile(path: path) { try ChiFile.write(header: header, columns: columns, to: $0) })
            }
        }
        row += [JSONValue.pythonFloatRepr(loaded.total), String(loaded.excluded)]
        return ItemOutput(values: values, metadata: row, files: files)
    }
}

/// SAXSDog's integral parameters of a radial curve (docs/reference/integration.md §8).
public enum IntegralParameters {
    /// qStop is capped at the largest bin centre; i0 and i1 are the first bins with q ≥ qStart and q ≥ qStop;
    /// over [i0, i1), skipping NaN: I0 = Σ I·Δq, I1 = Σ I·q·Δq, I2 = Σ I·q²·Δq with Δq = q₁ − q₀.
    public static func compute(q: [Double], intensity: [Double], qStart: Double,
                               qStop: Double) -> (i0: Double, i1: Double, i2: Double) {
        guard q.count >= 2 else { return (0, 0, 0) }
        let stop = min(qStop, q.max()!)
        let first = q.firstIndex { $0 >= qStart } ?? q.count
        let last = q.firstIndex { $0 >= stop } ?? q.count
        let dq = q[1] - q[0]
        var sums = (i0: 0.0, i1: 0.0, i2: 0.0)
        for k in first..<max(first, last) where !intensity[k].isNaN {
            sums.i0 += intensity[k]
            sums.i1 += intensity[k] * q[k]
            sums.i2 += intensity[k] * q[k] * q[k]
        }
        return (sums.i0 * dq, sums.i1 * dq, sums.i2 * dq)
    }
}

/// A reusable buffer of raw frames (one job's, one rank's).
final class FrameBuffer: Sendable {
    let storage = Mutex<[UInt32]>([])
}
