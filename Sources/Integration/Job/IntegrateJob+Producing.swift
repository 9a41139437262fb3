import Batch
import Core
import Formats
import Foundation
import LibTIFF
import Synchronization

/// Producing items: blocks of up to ``FrameBlock/lanes`` frames read (or mapped) in one pixel type, integrated with
/// every matrix, and turned into the curves, integral parameters and `.chi` files of each frame.
extension IntegrateJob {
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
