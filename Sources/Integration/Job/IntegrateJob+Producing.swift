import Batch
import Core
import Formats
import Foundation

/// Producing items: the batch's frames, read (or mapped) by ``FrameSource`` in blocks of one pixel type, integrated
/// with every matrix, and turned into the curves, integral parameters and `.chi` files of each frame.
extension IntegrateJob {
    public func produce(batch: [ItemContext], input: FrameBatch) throws -> [ItemOutput] {
        var outputs: [ItemOutput] = []
        outputs.reserveCapacity(batch.count)
        try input.raw.withUnsafeBytes { raw in
            for block in input.blocks {
                let frames = input.pointers(block, raw: raw)
                let (curves, loaded) = integrate(frames, type: block.type, masks: block.masks)
                source.release(block.items)
                for (lane, item) in block.items.enumerated() {
                    outputs.append(try output(item: item, curves: curves.map { $0[lane] }, loaded: loaded[lane]))
                }
            }
        }
        return outputs
    }

    /// Integrates frames of `type` (one pointer per frame) with every matrix.
    private func integrate(_ frames: [UnsafeRawPointer], type: ElementType,
                           masks: [DynamicMask]) -> (curves: [[IntegratedCurve]], loaded: [(excluded: Int, total: Double)]) {
        IntegrationMatrix.integrate(frames, type: type, pixels: calibration.geometry.rows * calibration.geometry.columns,
                                    masks: masks, with: matrices, empty: options.emptyBins)
    }

    private func output(item: Int, curves: [IntegratedCurve], loaded: (excluded: Int, total: Double)) throws -> ItemOutput {
        var values: [String: Column] = [:]
        var row = [String(item), inputs.file(of: item).path, String(inputs.frames[item].index)]
        var files: [ItemFile] = []
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
                let path = chiBases[item] + (n == 0 ? "" : "_c\(kind)\(n)") + ".chi"
                let columns = [matrices[m].centers, curve.intensity, curve.saxsdogError]
                files.append(ItemFile(path: path) { try ChiFile.write(header: header, columns: columns, to: $0) })
            }
        }
        row += [JSONValue.pythonFloatRepr(loaded.total), String(loaded.excluded)]
        let header = inputs.file(of: item).header(inputs.frames[item].index)
        row += [header.exposureTime.map(JSONValue.pythonFloatRepr) ?? "", header.acquired ?? "", header.imagePath ?? ""]
        return ItemOutput(values: values, metadata: row, files: files)
    }
}
