import Batch
import Foundation

/// The layout of `integrated.h5`: one group per matrix, named and numbered by SAXSDog's list, its datasets,
/// constants and attributes, and the metadata columns.
extension IntegrateJob {
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
            ConstantSpec("run", .string(inputs.files.count == 1 ? inputs.files[0].path
                                        : "\(inputs.files.count) files, \(inputs.count) frames")),
            // NXcanSAS enumerates the probe in lower case; NXsource's `probe` is the current field for it.
            ConstantSpec("sasinstrument/sassource/radiation", .string("x-ray")),
            ConstantSpec("sasinstrument/sassource/probe", .string("x-ray")),
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
        let corrections = options.corrections
        list.append(ConstantSpec("sasprocess/solid_angle_correction",
                                 .string(corrections.solidAngle(poni: isPONI) ? "on" : "off")))
        if let f = corrections.polarizationFactor {
            list.append(ConstantSpec("sasprocess/polarization_factor", .float64([f])))
        }
        if let dark = corrections.dark { list.append(ConstantSpec("sasprocess/dark", .string(dark))) }
        if let flat = corrections.flat { list.append(ConstantSpec("sasprocess/flat", .string(flat))) }
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
            + "corrections: \(options.corrections.summary(poni: isPONI)); "
            + (normalizes
               ? "I is pyFAI's sum(c (n - dark)) / sum(c flat solid_angle polarization) per bin; Idev its propagated "
                 + "standard error sqrt(sum(c^2 max(n, 1))) / sum(c norm). "
               : "I is the mean of the corrected pixel values per bin; Idev its propagated standard error. ")
            + modes.joined(separator: "; ")
    }

    public var metadataColumns: [String] {
        var columns = ["frame", "source", "source_frame"]
        for m in matrices.indices where matrices[m].axis == .radial {
            columns += ["I0", "I1", "I2"].map { groupName(m) + "_" + $0 }
        }
        return columns + ["total_counts", "excluded_pixels", "exposure_time_s", "acquired", "image_path"]
    }

    /// Each frame's source (``FrameInputs/frameKey(_:)``): `--update` keeps the frames an output has.
    public var itemKeys: [String]? { (0..<inputs.count).map(inputs.frameKey) }

    /// The row with its `frame` column set to the frame's new index.
    public func renumbered(metadata row: [String], to item: Int) -> [String] {
        [String(item)] + row.dropFirst()
    }

    public var workingBytesPerItem: Int { calibration.geometry.rows * calibration.geometry.columns * 8 }

    public var residentBytes: Int { matrices.reduce(0) { $0 + $1.byteCount } }
}
