import Batch
import Core

extension PtychoIngestJob {
    /// Per-position datasets of `/ptycho`; `/entry`, `/entry_1` and `/entry_1/ptypy` name them again (links).
    public var outputs: [OutputSpec] {
        let frame = [patternSize.rows, patternSize.columns]
        var specs = [
            OutputSpec("data", type: .float32, itemShape: frame, attributes: [
                "axes": .string("translation:y:x"), "units": .string("counts"),
                "description": .string("dark-subtracted (clamped at 0), flat-corrected, grouped (\(settings.grouping.rawValue) "
                                       + "of \(settings.framesPerPosition)), oriented (ptypy code "
                                       + "\(settings.orientation.code)) and windowed diffraction patterns"
                                       + (settings.bin > 1 ? ", summed over \(settings.bin) × \(settings.bin) pixel bins" : "")),
            ]),
            OutputSpec("mask_valid", type: .uint8, itemShape: frame, attributes: [
                "description": .string("1 = valid pixel for this position (ptypy's convention): no static CXI mask bit, "
                                       + "not saturated in the raw exposures used"),
            ]),
            OutputSpec("pos", type: .float64, itemShape: [2], attributes: [
                "units": .string("m"), "columns": .string("y, x (ptypy's slow, fast)"),
            ]),
            OutputSpec("posx_m", type: .float64, attributes: ["units": .string("m")]),
            OutputSpec("posy_m", type: .float64, attributes: ["units": .string("m")]),
            OutputSpec("translation", type: .float64, itemShape: [3], attributes: [
                "units": .string("m"), "description": .string("CXI sample translation (x, y, z) per position"),
            ]),
        ]
        if scan.geometry.exposureS != nil {
            specs.append(OutputSpec("exposure_s", type: .float64, attributes: ["units": .string("s")]))
        }
        if settings.qc {
            specs.append(OutputSpec("qc_features", type: .float64, itemShape: [FrameFeatures.storedColumns.count], attributes: [
                "columns": .strings(FrameFeatures.storedColumns),
                "description": .string("ptycho-qc's features of each written pattern over its valid pixels"),
            ]))
            specs.append(OutputSpec("qc_embedding", type: .float64, itemShape: [Self.qcEmbedSide * Self.qcEmbedSide],
                                    attributes: ["description": .string(
                                        "ptycho-qc's \(Self.qcEmbedSide) × \(Self.qcEmbedSide) block means of log(1 + I)")]))
        }
        return specs
    }

    public var groupAttributes: [String: AttributeValue] {
        [
            "input": .string(settings.input),
            "frames_per_pos": .int(Int64(settings.framesPerPosition)),
            "grouping": .string(settings.grouping.rawValue),
            "orientation": .int(Int64(settings.orientation.code)),
            "rotate": .int(Int64(settings.rotate)),
            "flip": .string(settings.flip),
            "center_input": .doubles([centre.row, centre.column]),
            "center_output": .ints([Int64(patternCentre.row), Int64(patternCentre.column)]),
            "bin": .int(Int64(settings.bin)),
            "positions_selected": .int(Int64(positions.count)),
            "roi_origin": .ints([Int64(window.origin.row), Int64(window.origin.column)]),
            "saturation": .double(scan.saturation ?? .infinity),
        ]
    }

    /// The CXI bits of the written patterns' pixels (static: given mask, hot, dead, padding), binned.
    var patternBits: [Int32] { binning.union(window.gather(scan.response.bits, fill: MaskBits.missing)) }

    /// The embedding side of the features `--qc` computes: ptycho-qc's default.
    static let qcEmbedSide = PtychoQCSettings().embedSide

    /// The diffraction patterns, the plot a NeXus viewer opens (`/ptycho/plot`).
    public var defaultPlot: DefaultPlot? { DefaultPlot(signal: "data", group: "plot") }

    /// `/entry` and the CXI 1.6 groups (NeXus classes of NXcxi_ptycho).
    public var subgroups: [GroupSpec] {
        [
            // NeXus wants a class on every group of an entry: ptypy's parameters are an NXcollection.
            GroupSpec("ptypy", attributes: ["NX_class": .string("NXcollection")]),
            GroupSpec("/entry", attributes: ["NX_class": .string("NXentry")]),
            GroupSpec("/entry_1", attributes: ["NX_class": .string("NXentry"), "definition": .string("NXcxi_ptycho")]),
            GroupSpec("/entry_1/data_1", attributes: ["NX_class": .string("NXdata"), "signal": .string("data")]),
            GroupSpec("/entry_1/instrument_1", attributes: ["NX_class": .string("NXinstrument")]),
            GroupSpec("/entry_1/instrument_1/detector_1", attributes: ["NX_class": .string("NXdetector")]),
            GroupSpec("/entry_1/instrument_1/source_1", attributes: ["NX_class": .string("NXsource")]),
            GroupSpec("/entry_1/sample_1", attributes: ["NX_class": .string("NXsample")]),
            // CXI 1.6 names NXgeometry here, a class NeXus has retired (nxcheck: invalid in NXsample); readers go by
            // path (ptypy reads geometry_1/translation), so it is marked an NXcollection.
            GroupSpec("/entry_1/sample_1/geometry_1", attributes: ["NX_class": .string("NXcollection")]),
            GroupSpec("/entry_1/ptypy", attributes: ["NX_class": .string("NXcollection")]),
        ]
    }

    /// Electronvolts to joules (exact, SI 2019).
    static let joulesPerEV = 1.602176634e-19

    public func constants(timestamp: String) -> [ConstantSpec] {
        let g = scan.geometry, r = scan.response
        let frame = [patternSize.rows, patternSize.columns], binning = self.binning, pixelM = patternPixelM
        let bits = patternBits
        let metres: [String: AttributeValue] = ["units": .string("m")]
        // CXI: the corner of the first pixel relative to the beam on the detector, and the distance along z.
        let corner = [-(Double(patternCentre.column) + 0.5) * pixelM,
                      -(Double(patternCentre.row) + 0.5) * pixelM, g.distanceM]
        var specs = [
            ConstantSpec("energy_eV", .float64([g.energyEV]), attributes: ["units": .string("eV")]),
            ConstantSpec("det_dist_m", .float64([g.distanceM]), attributes: metres),
            ConstantSpec("pixel_m", .float64([pixelM]), attributes: metres),
            ConstantSpec("energy_J", .float64([g.energyEV * Self.joulesPerEV]), attributes: ["units": .string("J")]),
            ConstantSpec("cxi_version", .int32([160]), shape: [1]),
            ConstantSpec("corner_position", .float64(corner), attributes: metres),
            ConstantSpec("mask", .uint8(bits.map { $0 != 0 ? 1 : 0 }), shape: frame, attributes: [
                "description": .string("1 = bad pixel (static: given mask, hot, dead, padding)"),
            ]),
            ConstantSpec("cxi_mask", .int32(bits), shape: frame, attributes: [
                "description": .string("CXI 1.6 bits: 0x1 invalid (given mask), 0x4 hot, 0x8 dead, 0x200 missing (padding)"),
            ]),
            ConstantSpec("ptypy/energy_keV", .float64([g.energyEV / 1000]), shape: [1], attributes: ["units": .string("keV")]),
            ConstantSpec("ptypy/distance_m", .float64([g.distanceM]), shape: [1], attributes: metres),
            ConstantSpec("ptypy/psize_m", .float64([pixelM]), shape: [1], attributes: metres),
        ]
        if r.hasDark {
            specs.append(ConstantSpec("dark", .float32(binning.sum(window.gather(r.dark, fill: 0))), shape: frame,
                                      attributes: ["units": .string("counts"), "description": .string(
                                          "mean dark (summed over each bin when binned)")]))
        }
        if r.hasFlat {
            specs.append(ConstantSpec("flat", .float32(binning.mean(window.gather(r.flat, fill: 0))), shape: frame, attributes: [
                "description": .string("dark-subtracted flat normalised to mean 1 over valid pixels (0 = dead; the "
                                       + "mean over each bin when binned)"),
            ]))
        }
        return specs
    }

    public var links: [LinkSpec] {
        var links = [
            LinkSpec("/cxi_version", to: "cxi_version"),
            LinkSpec("/entry_1/data_1/data", to: "data"),
            LinkSpec("/entry_1/data_1/translation", to: "translation"),
            LinkSpec("/entry_1/sample_1/geometry_1/translation", to: "translation"),
            LinkSpec("/entry_1/instrument_1/detector_1/data", to: "data"),
            LinkSpec("/entry_1/instrument_1/detector_1/distance", to: "det_dist_m"),
            LinkSpec("/entry_1/instrument_1/detector_1/x_pixel_size", to: "pixel_m"),
            LinkSpec("/entry_1/instrument_1/detector_1/y_pixel_size", to: "pixel_m"),
            LinkSpec("/entry_1/instrument_1/detector_1/mask", to: "cxi_mask"),
            LinkSpec("/entry_1/instrument_1/detector_1/corner_position", to: "corner_position"),
            LinkSpec("/entry_1/instrument_1/source_1/energy", to: "energy_J"),
            LinkSpec("/entry_1/ptypy/posx_m", to: "posx_m"),
            LinkSpec("/entry_1/ptypy/posy_m", to: "posy_m"),
            LinkSpec("/entry_1/ptypy/mask_valid", to: "mask_valid"),
            LinkSpec("/entry_1/ptypy/energy_keV", to: "ptypy/energy_keV"),
            LinkSpec("/entry_1/ptypy/distance_m", to: "ptypy/distance_m"),
            LinkSpec("/entry_1/ptypy/psize_m", to: "ptypy/psize_m"),
        ]
        var entry = ["data", "pos", "posx_m", "posy_m", "energy_eV", "det_dist_m", "pixel_m", "mask", "mask_valid"]
        if scan.geometry.exposureS != nil { entry.append("exposure_s") }
        if scan.response.hasDark {
            entry.append("dark")
            links.append(LinkSpec("/entry_1/instrument_1/detector_1/data_dark", to: "dark"))
        }
        if scan.response.hasFlat { entry.append("flat") }
        links += entry.map { LinkSpec("/entry/" + $0, to: $0) }
        return links
    }
}
