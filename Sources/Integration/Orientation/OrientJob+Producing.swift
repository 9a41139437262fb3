import Batch
import Core
import Formats
import Foundation

/// Producing items: the batch's frames as ``FrameSource`` reads them, through the band matrix, into each frame's
/// profiles, field and time.
extension OrientJob {
    public func produce(batch: [ItemContext], input: FrameBatch) throws -> [ItemOutput] {
        var outputs: [ItemOutput] = []
        outputs.reserveCapacity(batch.count)
        let pixels = geometry.poni.rows * geometry.poni.columns
        input.raw.withUnsafeBytes { raw in
            for block in input.blocks {
                let frames = input.pointers(block, raw: raw)
                let (curves, loaded) = IntegrationMatrix.integrate(frames, type: block.type, pixels: pixels,
                                                                   masks: block.masks, with: [matrix] + mapMatrices)
                for (lane, item) in block.items.enumerated() {
                    var output = output(item: item, curve: curves[0][lane], excluded: loaded[lane].excluded)
                    if settings.sasview {
                        let values = Self.pixelValues(frames[lane], type: block.type, pixels: pixels)
                        output.files = sasviewFiles(item: item, values: values, mask: block.masks[lane])
                    }
                    if mapGrids != nil {
                        output.values["map_q_chi"] = .float64(curves[1][lane].intensity)
                        output.values["map_qpar_qperp"] = .float64(curves[2][lane].intensity)
                    }
                    outputs.append(output)
                }
                source.release(block.items)
            }
        }
        return outputs
    }

    private func output(item: Int, curve: IntegratedCurve, excluded: Int) -> ItemOutput {
        let frame = frames[item]
        var row = [String(item), inputs.file(of: item).path, String(inputs.frames[item].index), frame.title,
                   frame.sample, Self.text(frame.fieldMilliTesla), Self.text(frame.timeSeconds)]
        let n = settings.chiBins
        for (b, band) in settings.bands.enumerated() {
            let bins = (b * n)..<((b + 1) * n)
            let moments = CircularMoments(chiDeg: Array(matrix.centers[bins]), intensity: Array(curve.intensity[bins]))
            row += [Self.text(band.center), Self.text(moments.meanIntensity), Self.text(moments.chi0Deg),
                    Self.text(moments.anisotropy)]
        }
        row.append(String(excluded))
        let fits = fits(of: curve)
        row += fits.flatMap { $0.flatMap(Self.fitFields) }
        var values = Self.fitValues(fits, models: settings.models)
        values["profile_I"] = .float64(curve.intensity)
        values["profile_sigma"] = .float64(curve.standardError)
        values["profile_count"] = .float64(curve.pixels)
        values["field_mT"] = .float64([frame.fieldMilliTesla])
        values["time_s"] = .float64([frame.timeSeconds])
        return ItemOutput(values: values, metadata: row)
    }

    /// A number for meta.csv: Python's repr (round-trips), empty for NaN.
    static func text(_ value: Double) -> String { value.isNaN ? "" : JSONValue.pythonFloatRepr(value) }
}
