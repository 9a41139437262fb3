import Batch
import Core
import Foundation
import Sinograms

/// Patch mode: the full-resolution sinogram of each row, cropped and cut into patches; clean patches get stripes
/// clipped to their own range, patches the mask marks are kept as real artefacts. The TIFFs are written with the
/// items, scaled by the row's own range.
extension StackJob {
    var patchOutputs: [OutputSpec] {
        let axes: AttributeValue = .string("patch, angle, column")
        return [
            OutputSpec("clean", type: .float32, itemShape: patchShape, attributes: [
                "dimensions": axes, "description": .string("full-resolution absorption patches; NaN where the mask "
                                                     + "finds real stripes"),
            ]),
            OutputSpec("stripe", type: .float32, itemShape: patchShape, attributes: [
                "dimensions": axes, "description": .string("clean with synthetic stripes clipped to the patch's range, "
                                                     + "or the patch itself where the mask finds real stripes"),
            ]),
            OutputSpec("real_artifact", type: .uint8, itemShape: [patchCount], attributes: [
                "description": .string("1 where the stripe mask marks pixels in the patch"),
            ]),
        ]
    }

    /// Patch mode's item: the row's patches and their TIFFs.
    func patchItem(row: Int, shift: Int, context: ItemContext, rows: SegmentRows) -> StackItem {
        let cut = patches(row: row, shift: shift, slab: rows.slab, context: context) {
            rows.masked(row, angles: $0, columns: $1)
        }
        return StackItem(values: cut.values, files: cut.files, realArtifact: String(cut.real), range: cut.range)
    }

    /// Patch mode: the cropped full-resolution sinogram cut into patches; clean patches get stripes clipped to
    /// their own range; TIFFs scaled by the row's clean range.
    private func patches(row: Int, shift: Int, slab: ScanSlab, context: ItemContext,
                         masked: (Range<Int>, Range<Int>) -> Bool)
        -> (values: [String: Column], files: [ItemFile], range: (low: Double, high: Double), real: Int) {
        let (ph, pw) = settings.patchSize
        let angles = patchOrigin.angle..<patchOrigin.angle + patchGrid.angles * ph
        let sinogram = slab.sinogram(row: row, angles: angles)
        let X = scans.columns
        var clean: [Float] = [], stripe: [Float] = [], flags: [UInt8] = []
        var pairs: [(clean: [Float]?, stripe: [Float])] = []
        for pa in 0..<patchGrid.angles {
            for pc in 0..<patchGrid.columns {
                let c0 = patchOrigin.column + pc * pw
                var patch = [Float](repeating: 0, count: ph * pw)
                for k in 0..<ph {
                    for i in 0..<pw { patch[k * pw + i] = sinogram[(pa * ph + k) * X + c0 + i] }
                }
                let a0 = angles.lowerBound + pa * ph
                let real = masked(a0..<a0 + ph, c0..<c0 + pw)
                var striped = patch
                if !real {
                    var random = context.random(stream: UInt32(1 + pa * patchGrid.columns + pc))
                    let low = patch.min() ?? 0, high = patch.max() ?? 0
                    var span = striped.mutableSpan
                    StripeArtifacts.apply(settings.patchStripes, to: &span, angles: ph, columns: pw,
                                          maxIntensity: Double(high), random: &random)
                    for i in striped.indices { striped[i] = min(high, max(low, striped[i])) }
                }
                clean += real ? [Float](repeating: .nan, count: patch.count) : patch
                stripe += striped
                flags.append(real ? 1 : 0)
                pairs.append((real ? nil : patch, striped))
            }
        }
        let range = Self.range(sinogram)
        let directory = String(format: "%04d", settings.sample)
        let base = String(format: "%04d_shift%02d_%04d", settings.sample, shift, row)
        var files: [ItemFile] = []
        for (p, pair) in pairs.enumerated() {
            let kind = pair.clean == nil ? "real_artifacts" : "fake_artifacts"
            var images = [("stripe", pair.stripe)]
            if let c = pair.clean { images.append(("clean", c)) }
            for (folder, image) in images {
                let path = "\(directory)/\(kind)/\(folder)/\(base)_w\(String(format: "%02d", p)).tif"
                files.append(Self.tiff(path, image, rows: ph, columns: pw, low: range.low, high: range.high))
            }
        }
        return (["clean": .float32(clean), "stripe": .float32(stripe), "real_artifact": .uint8(flags)], files, range,
                flags.count { $0 == 1 })
    }
}
