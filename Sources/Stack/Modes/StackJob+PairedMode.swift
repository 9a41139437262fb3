import Batch
import Sinograms

/// Paired mode: clean and striped sinograms of each row. Where the stripe mask finds real stripes the row is kept
/// as a real artefact (no clean sinogram); elsewhere synthetic stripes, partial or full as drawn per row, make the
/// striped one.
extension StackJob {
    var pairedOutputs: [OutputSpec] {
        [
            OutputSpec("clean", type: .float32, itemShape: sinogramShape, attributes: [
                "dimensions": Self.sinogramDimensions,
                "description": .string(absorptionDescription + "; NaN where the mask finds real stripes"),
            ]),
            OutputSpec("stripe", type: .float32, itemShape: sinogramShape, attributes: [
                "dimensions": Self.sinogramDimensions,
                "description": .string("clean with synthetic stripes, or the sinogram itself where the mask finds "
                                       + "real stripes"),
            ]),
            OutputSpec("real_artifact", type: .uint8, attributes: [
                "description": .string("1 where the stripe mask marks pixels in the row"),
            ]),
        ]
    }

    /// Paired mode's item: the row's sinogram, and the same with synthetic stripes unless the mask marks the row.
    func pairedItem(row: Int, context: ItemContext, rows: inout SegmentRows) -> StackItem {
        let clean = rows.sinogram(row)
        let real = rows.masked(row, angles: 0..<scans.projections, columns: 0..<scans.columns)
        var stripe = clean
        if !real {
            var random = context.random(stream: 1)
            var stripes = settings.pairedStripes
            stripes.kind = random.integer(in: 0..<2) == 0 ? .partial : .full
            let peak = Double(clean.max() ?? 0)
            var span = stripe.mutableSpan
            StripeArtifacts.apply(stripes, to: &span, angles: sinogramShape[0], columns: sinogramShape[1],
                                  maxIntensity: peak, random: &random)
        }
        return StackItem(values: [
            "clean": .float32(real ? [Float](repeating: .nan, count: clean.count) : clean),
            "stripe": .float32(stripe),
            "real_artifact": .uint8([real ? 1 : 0]),
        ], realArtifact: real ? "1" : "0", range: Self.range(stripe))
    }

    /// `ssss/real_artifacts/stripe/NAME`, or `ssss/fake_artifacts/clean/NAME` and `ssss/fake_artifacts/stripe/NAME`.
    func pairedTIFFs(_ finished: FinishedItem) -> [ItemFile] {
        guard case .uint8(let flag)? = finished.values["real_artifact"] else { return [] }
        let (sample, name) = (finished.sample, finished.name)
        if flag.first == 1 {
            return [finished.tiff("\(sample)/real_artifacts/stripe/\(name)", "stripe")]
        }
        return [
            finished.tiff("\(sample)/fake_artifacts/clean/\(name)", "clean"),
            finished.tiff("\(sample)/fake_artifacts/stripe/\(name)", "stripe"),
        ]
    }
}
