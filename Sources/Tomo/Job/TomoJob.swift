import Batch
import Core
import Formats
import Foundation
import LibTIFF
import Sinograms

/// `beamforge tomo`: synthetic stripe-removal training data, one sample per item (NoStripesNet's generator).
///
/// Each sample draws a foam phantom, projects it analytically, and adds stripes: simple mode applies TomoPhantom's
/// stripe routine to the [0, 1]-scaled projection; complex mode simulates flats, noise and defective detector
/// pixels (``FlatFieldSimulation``). Datasets under `/tomo` are chunked one sinogram per chunk.
public struct TomoJob: Job {
    public let name = "tomo"
    public let settings: TomoSettings
    public let geometry: TomoGeometry
    public let seed: UInt64

    /// The job of a configuration: its keys checked (``TomoConfig/settings()``), the seed keying every random stream.
    /// - Throws: ``ConfigError`` naming the key at fault.
    public init(config: TomoConfig, seed: UInt64) throws(ConfigError) {
        try self.init(settings: config.settings(), seed: seed)
    }

    /// - Throws: ``ConfigError`` naming the setting at fault.
    public init(settings: TomoSettings, seed: UInt64) throws(ConfigError) {
        try settings.validate()
        self.settings = settings
        self.seed = seed
        geometry = settings.geometry
    }

    public var itemCount: Int { settings.samples }

    private var volumeShape: [Int] { [geometry.rows, geometry.angleCount, geometry.columns] }
    private var sinogramChunk: [Int] { [1, geometry.angleCount, geometry.columns] }
    private var striped: String { settings.mode == .simple ? "stripe" : "shifts" }

    /// The striped volumes (simple mode's `stripe`, complex mode's `shifts`) with `clean` beside them.
    public var defaultPlot: DefaultPlot? {
        DefaultPlot(signal: striped, auxiliarySignals: striped == "shifts" ? [] : ["clean"])
    }

    public var outputs: [OutputSpec] {
        let axes: AttributeValue = .string("row, angle, column")
        var specs = [
            OutputSpec("projection", type: .float32, itemShape: volumeShape, attributes: [
                "dimensions": axes,
                "description": .string("noise-free analytic projection before any scaling: density times chord "
                                       + "length in voxels"),
            ], chunk: sinogramChunk),
            OutputSpec("clean", type: .float32, itemShape: volumeShape, attributes: [
                "dimensions": axes,
                "description": .string(settings.mode == .simple
                    ? "projection scaled to [0, 1] over the sample"
                    : "flat-field corrected -log of one noisy measurement without detector defects, scaled to "
                        + "[0, projection max] over the sample"),
            ], chunk: sinogramChunk),
            OutputSpec("phantom", type: .float64, itemShape: [settings.objects, 5], attributes: [
                "columns": .string("C0, x0, y0, z0, r"),
                "description": .string("the spheres (unit-cube coordinates); r = 0 marks an object that found no place"),
            ]),
        ]
        switch settings.mode {
        case .simple:
            specs.append(OutputSpec("stripe", type: .float32, itemShape: volumeShape, attributes: [
                "dimensions": axes, "description": .string("clean with TomoPhantom stripes, then clip(|x|, 0, 1)"),
            ], chunk: sinogramChunk))
        case .complex:
            specs.append(OutputSpec("shifts", type: .float32, itemShape: [settings.shifts] + volumeShape, attributes: [
                "dimensions": .string("shift, row, angle, column"),
                "description": .string("the measurement through the defective detector at each vertical offset, on "
                                       + "clean's scale"),
                "offsets": .ints(FlatFieldSimulation.offsets(shifts: settings.shifts, step: settings.shiftStep)
                    .map(Int64.init)),
            ], chunk: [1] + sinogramChunk))
        }
        return specs
    }

    public var statistics: [StatisticsSpec] {
        ["projection", "clean", striped].map { StatisticsSpec(dataset: $0, byItem: true) }
    }

    /// The projection buffer and the complex mode's per-projection and defect buffers, beyond the outputs.
    public var workingBytesPerItem: Int { geometry.volumeCount * 4 + geometry.rows * geometry.columns * 64 }

    public var groupAttributes: [String: AttributeValue] {
        var attributes: [String: AttributeValue] = [
            "mode": .string(settings.mode.rawValue),
            "N": .int(Int64(geometry.size)),
            "rows": .int(Int64(geometry.rows)),
            "A": .int(Int64(geometry.angleCount)),
            "D": .int(Int64(geometry.columns)),
            "angles_degrees": .doubles(geometry.anglesDegrees.map(Double.init)),
            "geometry": .string("TomoPhantom parallel beam: column j at U = H/(N+1) - 2jH/((N+1)(H-1)), row k at "
                                + "V = V/(N+1) - 2kV/((N+1)(V-1)), angles linspace(0, 179.9, A) in float32 degrees"),
            "sample_start": .int(Int64(settings.start)),
            "objects": .int(Int64(settings.objects)),
            "phantom_ranges": .string("x0 \(settings.phantom.x), y0 \(settings.phantom.y), z0 \(settings.phantom.z), "
                                      + "C0 \(settings.phantom.density), r \(settings.phantom.radius)"),
        ]
        switch settings.mode {
        case .simple:
            let s = settings.stripes
            attributes["stripes"] = .string("percentage \(s.percentage), max_thickness \(s.maxThickness), intensity "
                                            + "\(s.intensity), type \(s.kind.rawValue), variability \(s.variability)")
            attributes["tiff_scale"] = .string("uint16 = round(clip(x, 0, 1) * 65535)")
        case .complex:
            let f = settings.flatField
            attributes["flat_field"] = .string("I0 \(f.sourceIntensity), flats \(f.flats), bessel \(f.besselRange), "
                + "speckle size \(f.speckleSize) density \(f.speckleDensity), defect speckle size "
                + "\(f.defectSpeckleSize) density \(f.defectDensity) smoothing \(f.defectSmoothing) threshold "
                + "\(f.defectThreshold), miscalibration \(f.miscalibration), electronic noise \(f.electronicNoise)")
            attributes["shift_step"] = .int(Int64(settings.shiftStep))
            attributes["tiff_scale"] = .string("uint16 = round(clip(x / projection_max, 0, 1) * 65535), "
                                               + "projection_max per sample in meta.csv")
        }
        return attributes
    }

    public var metadataColumns: [String] {
        let common = ["sample", "spheres", "filled_fraction", "projection_max"]
        return settings.mode == .simple
            ? common + ["stripes", "striped_column_fraction"]
            : common + ["defect_pixel_fraction", "normalised_min", "normalised_max"]
    }

    /// The sample number of item `item`.
    public func sampleNumber(_ item: Int) -> Int { settings.start + item }

    /// Sample `sample`'s spheres and their analytic projection (`[row, angle, column]`).
    public func phantom(sample: Int) -> (spheres: [Sphere], projection: [Float]) {
        var random = RandomStream(seed: seed, sample: sample, .phantom)
        let spheres = SpherePhantom.sample(count: settings.objects, ranges: settings.phantom, random: &random)
        var projection = [Float](repeating: 0, count: geometry.volumeCount)
        var span = projection.mutableSpan
        SphereProjector.project(spheres, geometry: geometry, into: &span)
        return (spheres, projection)
    }

    public func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        let sample = sampleNumber(item)
        let (spheres, projection) = phantom(sample: sample)
        let peak = Double(projection.max() ?? 0)

        var values: [String: Column] = [
            "phantom": .float64(spheres.flatMap { [$0.density, $0.x, $0.y, $0.z, $0.radius] }),
        ]
        let filled = spheres.reduce(0.0) { $0 + $1.radius * $1.radius * $1.radius }
        var metadata = [String(sample), String(spheres.count { $0.isPlaced }), Self.format(filled), Self.format(peak)]
        var tiffs: [(directory: String, volume: [Float], offset: Int)] = []
        let tiffScale: Double

        switch settings.mode {
        case .simple:
            let (clean, stripe, report) = simpleMode(projection, sample: sample)
            values["clean"] = .float32(clean)
            values["stripe"] = .float32(stripe)
            metadata += [String(report.placed), Self.format(Double(report.columns) / Double(geometry.rows * geometry.columns))]
            tiffs = [("clean", clean, 0), ("stripe", stripe, 0)]
            tiffScale = 1
        case .complex:
            let simulation = FlatFieldSimulation(geometry: geometry, settings: settings.flatField,
                                                 shifts: settings.shifts, shiftStep: settings.shiftStep)
            let result = simulation.run(projection: projection, seed: seed, sample: sample)
            values["clean"] = .float32(result.clean)
            values["shifts"] = .float32(result.shifts)
            metadata += [Self.format(result.defectFraction), Self.format(result.cleanRange.lowerBound),
                         Self.format(result.cleanRange.upperBound)]
            tiffs = [("clean", result.clean, 0)]
            for k in 0..<settings.shifts {
                tiffs.append((String(format: "shift%02d", k), result.shifts, k * geometry.volumeCount))
            }
            tiffScale = peak > 0 ? peak : 1
        }
        values["projection"] = .float32(projection)
        let files = settings.tiff ? tiffFiles(tiffs, sample: sample, scale: tiffScale) : []
        return ItemOutput(values: values, metadata: metadata, files: files)
    }

    /// Simple mode (NoStripesNet `simulateStripes`): clean = the projection scaled to [0, 1] over the sample;
    /// stripe = clean with TomoPhantom's stripes (each row with its own random stream), then clip(|x|, 0, 1).
    func simpleMode(_ projection: [Float], sample: Int) -> (clean: [Float], stripe: [Float], report: StripeReport) {
        let low = Double(projection.min() ?? 0), high = Double(projection.max() ?? 0)
        let clean = high > low ? projection.map { Float((Double($0) - low) / (high - low)) } : projection
        var stripe = clean
        var total = StripeReport()
        let maxIntensity = Double(clean.max() ?? 0)
        let sinogram = geometry.sinogramCount
        stripe.withUnsafeMutableBufferPointer { data in
            for k in 0..<geometry.rows {
                var random = RandomStream(seed: seed, sample: sample, .stripes, index: k)
                var row = UnsafeMutableBufferPointer(rebasing: data[k * sinogram..<(k + 1) * sinogram]).mutableSpan
                let report = StripeArtifacts.apply(settings.stripes, to: &row, angles: geometry.angleCount,
                                                   columns: geometry.columns, maxIntensity: maxIntensity,
                                                   random: &random)
                total.placed += report.placed
                total.columns += report.columns
            }
            for i in data.indices { data[i] = min(1, abs(data[i])) }
        }
        return (clean, stripe, total)
    }

    /// NoStripesNet's tree: `<ssss>/<kind>/<ssss>_<kind>_<kkkk>.tif`, one uint16 image (angles × columns) per row.
    func tiffFiles(_ volumes: [(directory: String, volume: [Float], offset: Int)], sample: Int,
                   scale: Double) -> [ItemFile] {
        let g = geometry
        let prefix = String(format: "%04d", sample)
        var files: [ItemFile] = []
        for (kind, volume, offset) in volumes {
            for k in 0..<g.rows {
                let path = "\(prefix)/\(kind)/\(prefix)_\(kind)_\(String(format: "%04d", k)).tif"
                let start = offset + k * g.sinogramCount
                files.append(ItemFile(path: path) { target in
                    let pixels = volume[start..<start + g.sinogramCount].map { Self.quantise($0, scale: scale) }
                    try TIFF.write(pixels, rows: g.angleCount, columns: g.columns, to: target)
                })
            }
        }
        return files
    }

    /// ⌊clip(x / scale, 0, 1)·65535 + ½⌋ (``GreyLevels/uint16(_:)``).
    static func quantise(_ x: Float, scale: Double) -> UInt16 { GreyLevels.uint16(Double(x) / scale) }

    static func format(_ x: Double) -> String { String(format: "%.9g", x) }
}
