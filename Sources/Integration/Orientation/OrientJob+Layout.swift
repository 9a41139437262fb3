import Batch
import Core
import Foundation

/// The layout of `orient.h5` and of `meta.csv`.
extension OrientJob {
    public var itemCount: Int { inputs.count }

    public var outputs: [OutputSpec] {
        let shape = [settings.bands.count, settings.chiBins]
        return [
            OutputSpec("profile_I", type: .float64, itemShape: shape, attributes: [
                "units": .string("arbitrary"), "uncertainties": .string("profile_sigma"),
                "description": .string("split-weighted mean of the pixels of each q band and chi bin")]),
            OutputSpec("profile_sigma", type: .float64, itemShape: shape, attributes: [
                "units": .string("arbitrary"),
                "description": .string("standard error propagated from Poisson variances max(n, 1) (pyFAI sem)")]),
            OutputSpec("profile_count", type: .float64, itemShape: shape, attributes: [
                "description": .string("split-weighted number of unmasked pixels in each bin")]),
            OutputSpec("field_mT", type: .float64, attributes: ["units": .string("mT")]),
            OutputSpec("time_s", type: .float64, attributes: [
                "units": .string("s"), "description": .string("seconds since 1970-01-01T00:00:00Z")]),
        ] + fitOutputs + mapOutputs
    }

    /// `geometry`, the per-pixel q-space maps, is a NeXus collection.
    public var subgroups: [GroupSpec] {
        [GroupSpec("geometry", attributes: ["NX_class": .string("NXcollection")])]
    }

    /// With `--maps`: per frame I(q, χ) (χ bins × q bins) and I(q∥, q⊥) (q⊥ bins × q∥ bins).
    var mapOutputs: [OutputSpec] {
        guard let grids = mapGrids else { return [] }
        let text = "mean of the unmasked pixels whose centres fall in the bin (no splitting, pyFAI integrate2d "
            + "histogram); NaN where none"
        return [
            OutputSpec("map_q_chi", type: .float64, itemShape: [grids.qChi.yBins, grids.qChi.xBins], attributes: [
                "units": .string("arbitrary"), "axes": .string("map_chi,map_q"), "description": .string(text)]),
            OutputSpec("map_qpar_qperp", type: .float64, itemShape: [grids.plane.yBins, grids.plane.xBins], attributes: [
                "units": .string("arbitrary"), "axes": .string("map_q_perp,map_q_par"), "description": .string(text)]),
        ]
    }

    /// The profiles I(χ) per frame and band, with their σ.
    public var defaultPlot: DefaultPlot? {
        DefaultPlot(signal: "profile_I", axes: [.init("q_center", dimensions: [1]), .init("chi", dimensions: [2])],
                    errors: "profile_sigma")
    }

    public func constants(timestamp: String) -> [ConstantSpec] {
        let width = settings.chiBinDeg
        return [
            ConstantSpec("chi", .float64((0..<settings.chiBins).map { -180 + (Double($0) + 0.5) * width }),
                         attributes: ["units": .string("deg"), "long_name": .string(
                            "azimuth chi = atan2(t1, t2) (pyFAI chi): 0 along +columns, +90 along +rows; bin centres")]),
            ConstantSpec("q_bands", .float64(settings.bands.flatMap { [$0.lower, $0.upper] }),
                         shape: [settings.bands.count, 2], attributes: ["units": .string("1/angstrom")]),
            ConstantSpec("q_center", .float64(settings.bands.map(\.center)), shape: [settings.bands.count],
                         attributes: ["units": .string("1/angstrom"), "bands": .string(bandLabels)]),
            ConstantSpec("description", .string(description(timestamp: timestamp))),
        ] + geometryMaps() + mapAxes()
    }

    /// With `--maps`: the maps' bin centres (`map_q`, `map_chi`, `map_q_par`, `map_q_perp`) and ranges.
    private func mapAxes() -> [ConstantSpec] {
        guard let grids = mapGrids else { return [] }
        func axis(_ name: String, _ values: [Double], _ range: ClosedRange<Double>, _ units: String) -> ConstantSpec {
            ConstantSpec(name, .float64(values), shape: [values.count], attributes: [
                "units": .string(units), "range": .doubles([range.lowerBound, range.upperBound])])
        }
        return [axis("map_q", grids.qChi.xCenters, grids.qChi.xRange, "1/angstrom"),
                axis("map_chi", grids.qChi.yCenters, grids.qChi.yRange, "deg"),
                axis("map_q_par", grids.plane.xCenters, grids.plane.xRange, "1/angstrom"),
                axis("map_q_perp", grids.plane.yCenters, grids.plane.yRange, "1/angstrom")]
    }

    /// What each band is: `q` for a centre given in 1/Å, `h,k,l` for a reflection; separated by `;`.
    var bandLabels: String {
        let given = settings.bands.count - settings.reflections.count
        return (Array(repeating: "q", count: given) + settings.reflections.map { $0.map(String.init).joined(separator: ",") })
            .joined(separator: ";")
    }

    /// `/orient/geometry/*`: the per-pixel q-space maps (``QSpaceMaps``), rows × columns.
    private func geometryMaps() -> [ConstantSpec] {
        let maps = qMaps
        let shape = [maps.rows, maps.columns], director = ConfigError.number(settings.directorDeg)
        func map(_ name: String, _ values: [Double], _ units: String, _ text: String) -> ConstantSpec {
            ConstantSpec("geometry/\(name)", .float64(values), shape: shape,
                         attributes: ["units": .string(units), "long_name": .string(text)])
        }
        return [
            map("q", maps.q, "1/angstrom", "|q| = 4 pi sin(theta)/lambda at the pixel centre (i + 0.5, j + 0.5)"),
            map("q_par", maps.qParallel, "1/angstrom", "q.b, b the director at \(director) deg (as chi) in the detector plane"),
            map("q_perp", maps.qPerpendicular, "1/angstrom", "sign(q.b_perp) sqrt(|q|^2 - q_par^2), b_perp = (sin d, -cos d, 0); "
                + "with the director at 90 deg pyFAI's qip (and q_par its qoop)"),
            map("chi", maps.chiDeg, "deg", "azimuth chi = atan2(t1, t2) (pyFAI chi)"),
            map("psi", maps.psiDeg, "deg", "angle between q and the director"),
        ]
    }

    private func description(timestamp: String) -> String {
        let g = geometry.poni
        return "beamforge orient, \(timestamp): azimuthal profiles I(chi) in \(settings.bands.count) q band(s), "
            + "\(settings.chiBins) chi bins of \(settings.chiBinDeg) deg, exact pixel splitting, chi periodic; "
            + "geometry from the \(geometrySource): distance \(g.distance) m, PONI (\(g.poni1), \(g.poni2)) m, "
            + "rotations (\(g.rot1), \(g.rot2), \(g.rot3)) rad, pixels \(g.pixel1) x \(g.pixel2) m, wavelength "
            + "\(geometry.wavelength) angstrom; pixel centres at i + 0.5 (pyFAI); "
            + (settings.solidAngle ? "solid-angle corrected (cos^3); " : "no solid-angle correction; ")
            + "\(matrix.nonZeros) matrix entries; fits \(settings.models.map(\.rawValue).joined(separator: ",")) "
            + "(\(settings.reflection.rawValue) reflection) weighted 1/sigma^2 by cminpack's Levenberg-Marquardt"
    }

    public var metadataColumns: [String] {
        var columns = ["frame", "source", "source_frame", "title", "sample", "field_mT", "time_s"]
        for b in settings.bands.indices {
            columns += ["q\(b)_center", "q\(b)_mean_I", "q\(b)_chi0_moment_deg", "q\(b)_anisotropy"]
        }
        return columns + ["excluded_pixels"] + fitColumns
    }

    /// Each frame's source (``FrameInputs/frameKey(_:)``), so `--resume` refuses a changed input list.
    public var itemKeys: [String]? { (0..<inputs.count).map(inputs.frameKey) }

    public func renumbered(metadata row: [String], to item: Int) -> [String] {
        [String(item)] + row.dropFirst()
    }

    public var workingBytesPerItem: Int { geometry.poni.rows * geometry.poni.columns * 8 }

    public var residentBytes: Int { matrix.byteCount }
}
