import Batch
import Core
import Formats
import Foundation
import LibTIFF
import Sinograms

/// `beamforge stack`: training data from real NeXus scans (NoStripesNet's real-data generator).
///
/// Detector rows are the items (for each scan, or each row's frames in dynamic mode), processed in runs of
/// `chunk_size` rows: each rank reads only its rows of every projection, corrects them with the mean flat and dark,
/// takes −ln and resizes each sinogram (anti-aliased) to 402 × 362. The float32 results go to `stack.h5`; the
/// uint16 TIFF tree is written once the range over each whole scan (without its edge rows) is known, so data are
/// quantised once. Paired and patch modes use a stripe mask (an `.npz` archive, or computed on the fly with ghost
/// rows): clean sinograms or patches get synthetic stripes, striped ones are kept as real artefacts.
public struct StackJob: ScanJob {
    public let name = "stack"
    public let settings: StackSettings
    public let scans: ScanSet
    /// Slab memory kept from chunk to chunk.
    let storage = SlabStorage()

    /// Dynamic mode: frames per row.
    let frames: Int
    /// Patch mode: the crop origin, patches along angles and along columns.
    let patchOrigin: (angle: Int, column: Int)
    let patchGrid: (angles: Int, columns: Int)
    /// The `--mask` file, in paired and patch modes.
    let storedMasks: StoredMasks?

    /// The job of a configuration (``StackConfig/settings()``).
    /// - Throws: ``ConfigError`` or ``FormatError`` naming the key, file or dataset at fault.
    public init(config: StackConfig) throws {
        try self.init(settings: config.settings())
    }

    /// - Throws: ``ConfigError`` or ``FormatError`` naming the setting, file or dataset at fault.
    public init(settings: StackSettings) throws {
        try settings.validate()
        self.settings = settings
        scans = try ScanSet(settings: settings)
        let (A, R, X) = (scans.projections, scans.rows, scans.columns)
        if settings.needsMask && settings.maskFile == nil { try settings.mask.validate(angles: A, rows: R, columns: X) }
        if settings.needsMask, let file = settings.maskFile {
            storedMasks = try StoredMasks(path: file, scans: scans)
        } else {
            storedMasks = nil
        }
        frames = A / (2 * settings.frameAngles)
        if settings.mode == .dynamic && frames < 1 {
            throw ConfigError(key: "frame_angles", "a frame of \(settings.frameAngles) angles needs at least "
                              + "\(2 * settings.frameAngles) projections; the scan has \(A)")
        }
        patchGrid = (A / settings.patchSize.angles, X / settings.patchSize.columns)
        patchOrigin = ((A - patchGrid.angles * settings.patchSize.angles) / 2,
                       (X - patchGrid.columns * settings.patchSize.columns) / 2)
        if settings.mode == .patch && (patchGrid.angles < 1 || patchGrid.columns < 1) {
            throw ConfigError(key: "patch_size", "patches of \(settings.patchSize.angles)×"
                              + "\(settings.patchSize.columns) do not fit sinograms of \(A)×\(X)")
        }
        if settings.mode == .dynamic && settings.shifts > 1 {
            throw ConfigError(key: "shifts", "dynamic mode reads one scan (its file names have no shift); got \(settings.shifts)")
        }
    }

    // MARK: Items and outputs

    var itemsPerRow: Int { settings.mode == .dynamic ? frames : 1 }
    public var ghostRows: Int { computesMask ? settings.mask.ghostRows : 0 }
    public var itemCount: Int { scans.members.count * scans.rows * itemsPerRow }
    public var itemsPerChunk: Int { settings.chunkSize * itemsPerRow }

    /// The (angles, columns) of one output sinogram.
    var sinogramShape: [Int] {
        let angles = settings.mode == .dynamic ? settings.frameAngles : scans.projections
        return settings.downsample ? [settings.outputShape.angles, settings.outputShape.columns] : [angles, scans.columns]
    }
    var patchCount: Int { patchGrid.angles * patchGrid.columns }
    var patchShape: [Int] { [patchCount, settings.patchSize.angles, settings.patchSize.columns] }

    /// The dataset whose range over each scan scales the TIFFs.
    var scaledOutput: String { settings.mode == .paired ? "stripe" : "sinogram" }

    public var outputs: [OutputSpec] {
        let axes: AttributeValue = .string("angle, column")
        let absorption = "-ln((projection - dark) / max(flat - dark, 1e-6)) of the mean flat and dark"
            + (settings.downsample ? ", resized with anti-aliasing (scikit-image resize, order 1)" : "")
        switch settings.mode {
        case .raw, .dynamic:
            return [OutputSpec("sinogram", type: .float32, itemShape: sinogramShape, attributes: [
                "axes": axes, "description": .string(absorption),
            ])]
        case .paired:
            return [
                OutputSpec("clean", type: .float32, itemShape: sinogramShape, attributes: [
                    "axes": axes, "description": .string(absorption + "; NaN where the mask finds real stripes"),
                ]),
                OutputSpec("stripe", type: .float32, itemShape: sinogramShape, attributes: [
                    "axes": axes, "description": .string("clean with synthetic stripes, or the sinogram itself where "
                                                         + "the mask finds real stripes"),
                ]),
                OutputSpec("real_artifact", type: .uint8, attributes: [
                    "description": .string("1 where the stripe mask marks pixels in the row"),
                ]),
            ]
        case .patch:
            let axes: AttributeValue = .string("patch, angle, column")
            return [
                OutputSpec("clean", type: .float32, itemShape: patchShape, attributes: [
                    "axes": axes, "description": .string("full-resolution absorption patches; NaN where the mask "
                                                         + "finds real stripes"),
                ]),
                OutputSpec("stripe", type: .float32, itemShape: patchShape, attributes: [
                    "axes": axes, "description": .string("clean with synthetic stripes clipped to the patch's range, "
                                                         + "or the patch itself where the mask finds real stripes"),
                ]),
                OutputSpec("real_artifact", type: .uint8, itemShape: [patchCount], attributes: [
                    "description": .string("1 where the stripe mask marks pixels in the patch"),
                ]),
            ]
        }
    }

    public var statistics: [StatisticsSpec] {
        guard settings.mode != .patch else { return [] }
        let perScan = scans.rows * itemsPerRow
        return [StatisticsSpec(dataset: scaledOutput, byItem: true,
                               groups: ItemGroups(size: perScan, margin: settings.edgeRows * itemsPerRow))]
    }

    public var metadataColumns: [String] { ["item", "scan", "shift", "row", "frame", "real_artifact", "min", "max"] }

    public var groupAttributes: [String: AttributeValue] {
        [
            "mode": .string(settings.mode.rawValue),
            "scans": .string(scans.members.map(\.scan.path).joined(separator: ", ")),
            "flats": .string(scans.members.map(\.flats.path).joined(separator: ", ")),
            "data_path": .string(settings.paths.data),
            "projections": .int(Int64(scans.projections)),
            "rows": .int(Int64(scans.rows)),
            "columns": .int(Int64(scans.columns)),
            "item_order": .string(settings.mode == .dynamic ? "row, frame" : "scan, row"),
            "tiff_scaling": .string(settings.mode == .patch
                ? "each row's clean range (min, max) to 0-65535"
                : "the range of /stack/\(scaledOutput) over each scan without its first and last "
                    + "\(settings.edgeRows) rows (/stats) to 0-65535, clipped, rounded"),
        ]
    }

    public func constants(timestamp: String) -> [ConstantSpec] {
        guard let angles = scans.members[0].scan.angles else { return [] }
        return [ConstantSpec("rotation_angle", .float64(angles), attributes: ["units": .string("degree")])]
    }

    /// Whether the stripe mask is computed here (no `--mask` archive), from slabs with ghost rows.
    var computesMask: Bool { settings.needsMask && settings.maskFile == nil }

    /// Per row: the slab (uint16 counts or float absorption, with ghost rows when computing masks, and the mask's
    /// workspace), the mask, and one resize.
    public var workingBytesPerItem: Int {
        let plane = scans.projections * scans.columns
        let chunk = max(1, min(settings.chunkSize, scans.rows))
        let slab = plane * (scans.members.allSatisfy(\.scan.storesUInt16) ? 2 : 4)
        var perChunk = slab * chunk + (settings.needsMask ? plane * chunk : 0)
        if computesMask {
            perChunk += slab * 2 * settings.mask.ghostRows
                + StripeMask.workspaceBytes(angles: scans.projections, columns: scans.columns, settings: settings.mask)
        }
        return perChunk / chunk / itemsPerRow + settings.outputShape.angles * scans.columns * 4
    }

    // MARK: Producing

    public func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        try produce(batch: [context])[0]
    }

    public func produce(batch: [ItemContext]) throws -> [ItemOutput] {
        var outputs: [ItemOutput] = []
        for segment in RowSegment.split(batch, rowsPerScan: scans.rows, itemsPerRow: itemsPerRow) {
            outputs += try produce(segment)
        }
        return outputs
    }

    private func produce(_ segment: RowSegment) throws -> [ItemOutput] {
        let member = scans.members[segment.member]
        let (A, R, X) = (scans.projections, scans.rows, scans.columns)
        return try storage.withSlab(member, rows: heldRows(segment.rows)) { slab in
            var mask: [UInt8] = []
            if settings.needsMask {
                if let storedMasks {
                    mask = try storedMasks.rows(segment.rows, scan: member.number)
                } else {
                    mask = StripeMask.compute(angles: A, columns: X, totalRows: R, wanted: segment.rows,
                                              settings: settings.mask, sinogram: { slab.withSinogram(row: $0, $1) })
                }
            }
            /// Whether the mask marks any pixel of `row` within angles × columns.
            func masked(_ row: Int, angles: Range<Int>, columns: Range<Int>) -> Bool {
                let j = row - segment.rows.lowerBound
                for k in angles {
                    let line = (j * A + k) * X
                    for i in columns where mask[line + i] != 0 { return true }
                }
                return false
            }

            let resize = settings.downsample
                ? SinogramResize(from: (settings.mode == .dynamic ? settings.frameAngles : A, X),
                                 to: settings.outputShape) : nil
            var scratch = [Float](repeating: 0, count: settings.outputShape.angles * X)
            /// Row `row` over angles `angles`, resized when downsampling.
            func sinogram(_ row: Int, angles: Range<Int> = 0..<A) -> [Float] {
                guard let resize else { return slab.sinogram(row: row, angles: angles) }
                var out = [Float](repeating: 0, count: resize.outputCount)
                out.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { s in
                        slab.withSinogram(row: row) { line in
                            resize.apply(lines: { line(angles.lowerBound + $0) }, into: o, scratch: s)
                        }
                    }
                }
                return out
            }

            return segment.items.map { context in
                let row = context.item / itemsPerRow % R
                let shift = context.item / itemsPerRow / R
                var fields = [String(context.item), member.number, String(shift), String(row), "", "0"]
                var values: [String: Values] = [:]
                var files: [ItemFile] = []
                switch settings.mode {
                case .raw:
                    let sinogram = sinogram(row)
                    values["sinogram"] = .float32(sinogram)
                    fields += Self.format(Self.range(sinogram))
                case .dynamic:
                    let frame = context.item % frames
                    fields[4] = String(frame)
                    let first = 2 * frame * settings.frameAngles
                    let sinogram = sinogram(row, angles: first..<first + settings.frameAngles)
                    values["sinogram"] = .float32(sinogram)
                    fields += Self.format(Self.range(sinogram))
                case .paired:
                    let clean = sinogram(row)
                    let real = masked(row, angles: 0..<A, columns: 0..<X)
                    var stripe = clean
                    if !real {
                        var random = context.random(stream: 1)
                        var stripes = settings.pairedStripes
                        stripes.kind = random.integer(in: 0..<2) == 0 ? .partial : .full
                        let peak = Double(clean.max() ?? 0)
                        stripe.withUnsafeMutableBufferPointer {
                            _ = StripeArtifacts.apply(stripes, to: $0, angles: sinogramShape[0], columns: sinogramShape[1],
                                                      maxIntensity: peak, random: &random)
                        }
                    }
                    fields[5] = real ? "1" : "0"
                    values["clean"] = .float32(real ? [Float](repeating: .nan, count: clean.count) : clean)
                    values["stripe"] = .float32(stripe)
                    values["real_artifact"] = .uint8([real ? 1 : 0])
                    fields += Self.format(Self.range(stripe))
                case .patch:
                    let cut = patches(row: row, shift: shift, slab: slab, context: context) {
                        masked(row, angles: $0, columns: $1)
                    }
                    values = cut.values
                    files = cut.files
                    fields[5] = String(cut.real)
                    fields += Self.format(cut.range)
                }
                return ItemOutput(values: values, metadata: fields, files: files)
            }
        }
    }

    /// The smallest and largest value (NaN skipped; +∞ and −∞ when there is none, as an empty summary).
    static func range(_ values: [Float]) -> (low: Double, high: Double) {
        var (low, high) = (Float.infinity, -Float.infinity)
        values.withUnsafeBufferPointer {
            for x in $0 {
                low = x < low ? x : low
                high = x > high ? x : high
            }
        }
        return (Double(low), Double(high))
    }

    /// The metadata fields of a range: 9 significant digits, which give back every float32.
    static func format(_ range: (low: Double, high: Double)) -> [String] {
        [String(format: "%.9g", range.low), String(format: "%.9g", range.high)]
    }

    /// Patch mode: the cropped full-resolution sinogram cut into patches; clean patches get stripes clipped to
    /// their own range; TIFFs scaled by the row's clean range.
    private func patches(row: Int, shift: Int, slab: ScanSlab, context: ItemContext,
                         masked: (Range<Int>, Range<Int>) -> Bool)
        -> (values: [String: Values], files: [ItemFile], range: (low: Double, high: Double), real: Int) {
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
                    striped.withUnsafeMutableBufferPointer {
                        _ = StripeArtifacts.apply(settings.patchStripes, to: $0, angles: ph, columns: pw,
                                                  maxIntensity: Double(high), random: &random)
                    }
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

    /// A uint16 TIFF of `image` scaled from [low, high] to 0-65535.
    static func tiff(_ path: String, _ image: [Float], rows: Int, columns: Int, low: Double, high: Double) -> ItemFile {
        ItemFile(path: path) { target in
            let span = high - low
            var pixels = [UInt16](repeating: 0, count: image.count)
            image.withUnsafeBufferPointer { values in
                pixels.withUnsafeMutableBufferPointer {
                    for i in values.indices { $0[i] = GreyLevels.uint16(span > 0 ? (Double(values[i]) - low) / span : 0) }
                }
            }
            try TIFF.write(pixels, rows: rows, columns: columns, to: target)
        }
    }

    // MARK: TIFF tree

    public var finishingOutputs: [String] {
        switch settings.mode {
        case .raw, .dynamic: ["sinogram"]
        case .paired: ["clean", "stripe", "real_artifact"]
        case .patch: []
        }
    }

    public func finish(item: Int, values: [String: Values],
                       statistics: [String: [RunningStatistics]]) throws -> [ItemFile] {
        let group = item / (scans.rows * itemsPerRow)
        guard let summary = statistics[scaledOutput]?[group] else { return [] }
        let (low, high) = (summary.minimum, summary.maximum)
        let row = item / itemsPerRow % scans.rows
        let sample = String(format: "%04d", settings.sample)
        let name = String(format: "%@_shift%02d_%04d.tif", sample, group, row)
        let (rows, columns) = (sinogramShape[0], sinogramShape[1])
        func floats(_ key: String) -> [Float] {
            if case .float32(let v)? = values[key] { return v }
            return []
        }
        switch settings.mode {
        case .raw:
            return [Self.tiff("\(sample)/shift\(String(format: "%02d", group))/\(name)", floats("sinogram"),
                              rows: rows, columns: columns, low: low, high: high)]
        case .dynamic:
            let frame = item % frames
            let path = String(format: "%@_frame%02d_%04d.tif", sample, frame, row)
            return [Self.tiff(path, floats("sinogram"), rows: rows, columns: columns, low: low, high: high)]
        case .paired:
            guard case .uint8(let flag)? = values["real_artifact"] else { return [] }
            if flag.first == 1 {
                return [Self.tiff("\(sample)/real_artifacts/stripe/\(name)", floats("stripe"), rows: rows,
                                  columns: columns, low: low, high: high)]
            }
            return [
                Self.tiff("\(sample)/fake_artifacts/clean/\(name)", floats("clean"), rows: rows, columns: columns,
                          low: low, high: high),
                Self.tiff("\(sample)/fake_artifacts/stripe/\(name)", floats("stripe"), rows: rows, columns: columns,
                          low: low, high: high),
            ]
        case .patch:
            return []
        }
    }
}
