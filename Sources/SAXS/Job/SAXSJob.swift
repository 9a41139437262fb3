import Batch
import Core
import Formats
import Foundation
import LibTIFF

/// `beamforge saxs`: synthetic SAXS curves of nine shape classes, measured on simulated lab instruments.
///
/// Item i has the class given by ``ShapeClass/index(ofItem:classes:seed:stream:)``; its instrument and parameters
/// come from random stream 0, its detector noise from stream 1 and its uid from stream 2, all keyed by (seed, i), so
/// a curve is the same on any rank and in any run with the same seed.
public struct SAXSJob: Job {
    public let config: SAXSConfig
    /// Written to the `generator` metadata column, e.g. `beamforge 0.1.0`.
    public let generator: String
    /// Per instrument; their resolution levels are built by ``prepare(_:)`` (or at once with `levels: .serial`).
    public private(set) var responses: [DetectorResponse]
    /// Row length of the curve datasets: the longest instrument q grid (shorter ones are NaN-padded).
    public let width: Int
    /// Write DIR/saxs/<uid>.dat for every curve.
    public let writeDat: Bool
    /// Write DIR/nxcansas/<uid>.h5 for every curve.
    public let writeNXcanSAS: Bool
    /// Per instrument, the q resolution the NXcanSAS files carry.
    let qResolutions: [[Double]]
    /// Built once: the runner reads these for every batch and item.
    public let outputs: [OutputSpec]
    public let metadataColumns: [String]

    /// Length of the fixed-size `params` JSON strings.
    static let paramsLength = 640

    /// The random streams of an item, each keyed by (seed, item).
    enum Stream: UInt32 {
        case parameters = 0, noise = 1, uid = 2, classOrder = 3
    }

    /// Builds the instruments' detector responses (reading their mask files, relative to `baseDirectory`); their
    /// resolution levels, most of the set-up, are built with `levels`, or shared by the run's ranks in
    /// ``prepare(_:)`` when nil.
    /// - Precondition: `config` has passed ``SAXSConfig/validate()``.
    /// - Throws: ``ConfigError`` naming the instrument key when a mask is unreadable or a q bin sees no pixel.
    public init(config: SAXSConfig, generator: String, baseDirectory: String = ".", writeDat: Bool = false,
                writeNXcanSAS: Bool = false, levels: SharedBuild? = .serial) throws(ConfigError) {
        self.config = config
        self.generator = generator
        self.writeDat = writeDat
        self.writeNXcanSAS = writeNXcanSAS
        qResolutions = config.instruments.map(\.qResolution)
        var responses: [DetectorResponse] = []
        for (i, instrument) in config.instruments.enumerated() {
            var mask: Fit2DMask?
            if let file = instrument.mask {
                let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
                do { mask = try Fit2DMask(contentsOf: path) } catch {
                    throw ConfigError(key: "instruments.\(i).mask", "\(error)")
                }
            }
            responses.append(try DetectorResponse(instrument: instrument, mask: mask, key: "instruments.\(i)",
                                                  levels: levels))
        }
        self.responses = responses
        width = config.instruments.map(\.qPoints).max() ?? 0
        outputs = Self.outputs(config: config, responses: responses, width: width)
        metadataColumns = ["uid", "shape_class", "generator", "true_params", "instrument_cfg", "seed", "timestamp",
                           "rg_true"] + Self.qcColumns
    }

    /// Builds the detector responses' resolution levels, spread over the run's ranks (when not built yet).
    public mutating func prepare(_ build: SharedBuild) {
        for i in responses.indices where responses[i].levels.isEmpty { responses[i].buildLevels(build) }
    }

    public var name: String { "saxs" }
    public var itemCount: Int { config.n }

    static func outputs(config: SAXSConfig, responses: [DetectorResponse], width: Int) -> [OutputSpec] {
        var instrumentAttributes: [String: AttributeValue] = ["names": .strings(config.instruments.map(\.name))]
        for response in responses {
            let chain = response.instrument.countsPerUnitIntensityAndSolidAngle
            instrumentAttributes["normaliser_\(response.instrument.name)"] = .doubles(response.binSolidAngle.map { chain * $0 })
            instrumentAttributes["background_counts_\(response.instrument.name)"] =
                .doubles(response.binSolidAngle.map { chain * response.instrument.background * $0 })
        }
        return [
            OutputSpec("q", type: .float64, itemShape: [width], attributes: ["units": .string("1/angstrom")]),
            OutputSpec("I", type: .float64, itemShape: [width], attributes: [
                "units": .string("1/cm"),
                "description": .string("(N_sample - N_background) / normaliser, per q bin")]),
            OutputSpec("sigma", type: .float64, itemShape: [width], attributes: [
                "units": .string("1/cm"),
                "description": .string("sqrt(max(N_sample + N_background, 1)) / normaliser")]),
            OutputSpec("I_model", type: .float64, itemShape: [width], attributes: [
                "units": .string("1/cm"),
                "description": .string("noise-free smeared model averaged over each bin's pixels: E[I]")]),
            OutputSpec("shape_class", type: .int32, attributes: ["names": .strings(config.classes)]),
            OutputSpec("instrument", type: .int32, attributes: instrumentAttributes),
            OutputSpec("uid", type: .string(length: 36)),
            OutputSpec("params", type: .string(length: Self.paramsLength),
                       attributes: ["description": .string("sasmodels model name and parameters, JSON")]),
        ]
    }

    /// The curves I with their σ and the noise-free model beside them, against bin index: q differs by instrument
    /// (`/saxs/q` is items × bins), and NeXus axes are one-dimensional.
    public var defaultPlot: DefaultPlot? {
        DefaultPlot(signal: "I", errors: "sigma", auxiliarySignals: ["I_model"])
    }

    public var groupAttributes: [String: AttributeValue] {
        [
            "padding": .string("rows shorter than the longest q grid are padded with NaN"),
            "intensity_convention": .string("sasmodels: scale*1e-4*<F^2>/<V> + background in 1/cm; number-weighted "
                                            + "Gaussian size distribution truncated at +-3 sigma, normalised by <V>"),
            "hollow_sphere_convention": .string(Self.hollowConvention),
            "detector": .string(config.detector),
            "noise_model": .string("counts per pixel ~ Poisson(flux*exposure*transmission*efficiency*thickness*"
                                   + "(I_smeared(q) + instrument background)*dOmega); background frame measured "
                                   + "and subtracted; fast mode draws the per-bin sums directly"),
        ]
    }

    static let hollowConvention = "vesicle (sasmodels): shell of SLD sld from radius to radius+thickness, "
        + "normalised by the shell volume, volume fraction in volfraction, scale = 1"

    public static let qcColumns = ["chi2_red", "chi2_red_observed", "min_counts", "guinier_applicable", "guinier_rg",
                                   "guinier_rg_error", "guinier_qmin_rg", "guinier_qmax_rg", "guinier_rel_error"]

    public var statistics: [StatisticsSpec] {
        [StatisticsSpec(dataset: "I", transform: .log10), StatisticsSpec(dataset: "I_model", transform: .log10),
         StatisticsSpec(dataset: "I_model", perFeature: true, transform: .log10)]
    }

    public var residentBytes: Int { responses.reduce(0) { $0 + $1.byteCount } }

    public var workingBytesPerItem: Int {
        let frame = config.detector == "image" ? 8 * 1065 * 1030 : 0
        return 8 * width * 12 + 64 * 1024 + frame
    }

    /// The sample item `item` describes and the index of its instrument.
    public func sample(item: Int, seed: UInt64) -> (shape: ShapeClass, sample: Sample, instrument: Int) {
        let classes = config.shapeClasses
        let shape = classes[ShapeClass.index(ofItem: item, classes: classes.count, seed: seed,
                                             stream: Stream.classOrder.rawValue)]
        var draw = RandomStream(seed: seed, item: item, stream: Stream.parameters.rawValue)
        let instrument = draw.integer(in: 0..<config.instruments.count)
        return (shape, shape.draw(config, random: &draw), instrument)
    }

    /// The uid of curve `item` (a version-4 UUID from random stream 2).
    public static func uid(item: Int, seed: UInt64) -> String {
        var stream = RandomStream(seed: seed, item: item, stream: Stream.uid.rawValue)
        return stream.uuid()
    }

    /// The items whose uids are `uids`, sorted, or the first uid that names no curve of this job and seed.
    public func items(ofUIDs uids: [String], seed: UInt64) -> Result<[Int], UnknownUID> {
        var index: [String: Int] = [:]
        index.reserveCapacity(itemCount)
        for item in 0..<itemCount { index[Self.uid(item: item, seed: seed)] = item }
        var items = Set<Int>()
        for (position, uid) in uids.enumerated() {
            guard let item = index[uid] else { return .failure(UnknownUID(uid: uid, position: position)) }
            items.insert(item)
        }
        return .success(items.sorted())
    }

    /// A uid that names no curve of the job and seed.
    public struct UnknownUID: Error {
        public let uid: String
        /// Its index in the list given.
        public let position: Int
    }

    public func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        let (shape, sample, instrumentIndex) = self.sample(item: item, seed: context.seed)
        let response = responses[instrumentIndex]
        let keepFrame = item < config.saveFrames
        var noise = context.random(stream: Stream.noise.rawValue)
        let curve = DetectorSimulation.measure(sample, response: response, mode: DetectorSimulation.Mode(rawValue: config.detector)!,
                                               keepFrame: keepFrame, noise: &noise)
        let uid = Self.uid(item: item, seed: context.seed)
        let instrument = response.instrument
        let parameters = sample.sasmodelsParameters(qMax: instrument.qMax)
            + [("hollow_convention", .text(shape == .hollowSphere ? "vesicle" : "n/a"))]
        let params = JSONValue.object(parameters.map { name, value in
            switch value {
            case .number(let x): (key: name, value: JSONValue(x))
            case .text(let text): (key: name, value: .string(text))
            }
        }).compactJSON
        guard params.utf8.count <= Self.paramsLength else {
            throw BatchError(.item(item), "parameter JSON longer than \(Self.paramsLength) bytes", agreed: false)
        }
        let rg = sample.radiusOfGyration
        let qc = CurveQC(q: response.q, curve: curve, rgTrue: rg, elongated: shape.isElongated)

        var files: [ItemFile] = []
        if writeDat {
            let text = DatFile.text(q: response.q, intensity: curve.intensity, sigma: curve.sigma,
                                    title: "\(uid) \(shape.rawValue) \(instrument.name) (\(generator))")
            files.append(ItemFile(path: "saxs/\(uid).dat") { path in try text.write(toFile: path, atomically: false, encoding: .utf8) })
        }
        if writeNXcanSAS {
            let export = SASCurve(
                title: "\(shape.rawValue) \(uid)", run: uid, q: response.q, intensity: curve.intensity,
                uncertainty: curve.sigma, qResolution: qResolutions[instrumentIndex], instrument: instrument.name,
                wavelength: instrument.wavelength, distance: instrument.distance, sampleName: uid, sampleDetails: params,
                processName: generator, processDate: context.timestamp,
                processDescription: "synthetic SAXS curve \(item) of seed \(context.seed): \(shape.rawValue) measured on "
                    + "a simulated \(instrument.name) (\(config.detector) detector mode); sample details hold the "
                    + "true sasmodels parameters; Qdev combines the beam and the q bin width")
            files.append(ItemFile(path: "nxcansas/\(uid).h5") { path in try NXcanSAS.write(export, to: path) })
        }
        if let frame = curve.frame {
            let rows = response.detector.rows, columns = response.detector.columns
            let description = "beamforge \(instrument.name) sample frame, curve \(item) (\(uid)), counts"
            files.append(ItemFile(path: "frames/\(String(format: "%06d", item))_\(uid).tif") { path in
                try TIFF.write(frame, rows: rows, columns: columns, to: path, description: description)
            })
        }

        return ItemOutput(
            values: [
                "q": .float64(padded(response.q)), "I": .float64(padded(curve.intensity)),
                "sigma": .float64(padded(curve.sigma)), "I_model": .float64(padded(curve.model)),
                "shape_class": .int32([Int32(config.classes.firstIndex(of: shape.rawValue)!)]),
                "instrument": .int32([Int32(instrumentIndex)]),
                "uid": .string(uid), "params": .string(params),
            ],
            metadata: [uid, shape.rawValue, generator, params, instrument.name, String(context.seed), context.timestamp,
                       Self.field(rg)] + qc.fields,
            files: files)
    }

    private func padded(_ values: [Double]) -> [Double] {
        values.count == width ? values : values + [Double](repeating: .nan, count: width - values.count)
    }

    static func field(_ value: Double) -> String { value.isFinite ? "\(value)" : "" }
}
