import Foundation

/// A dilute sample: particles of one shape, polydisperse in one size, in a solvent, with sasmodels' scale and
/// background.
public struct Sample: Sendable {
    /// The particle: a shape class's model, or any other.
    public var particle: any FormFactorModel
    /// Solvent SLD in 10⁻⁶ Å⁻².
    public var solvent: Double
    /// sasmodels `scale`: the volume fraction of particles.
    public var scale: Double
    /// Flat background in cm⁻¹.
    public var background: Double
    /// Size distributions by parameter; the generator uses one, on the model's ``FormFactorModel/sizeParameter``.
    public var polydispersity: [Polydispersity]

    public init(particle: any FormFactorModel, solvent: Double, scale: Double = 1, background: Double = 0,
                polydispersity: [Polydispersity] = []) {
        self.particle = particle
        self.solvent = solvent
        self.scale = scale
        self.background = background
        self.polydispersity = polydispersity
    }

    /// dΣ/dΩ in cm⁻¹ at each q of `q` (Å⁻¹), written into `intensity` (as many values).
    public func intensity(q: Span<Double>, into intensity: inout MutableSpan<Double>,
                          accuracy: QuadratureAccuracy = .standard) {
        particle.intensity(solvent: solvent, scale: scale, background: background, polydispersity: polydispersity,
                           q: q, into: &intensity, accuracy: accuracy)
    }

    /// Array form of ``intensity(q:into:accuracy:)``.
    public func intensity(q: [Double], accuracy: QuadratureAccuracy = .standard) -> [Double] {
        var out = [Double](repeating: 0, count: q.count)
        var span = out.mutableSpan
        intensity(q: q.span, into: &span, accuracy: accuracy)
        return out
    }

    /// The z-averaged, contrast-weighted radius of gyration in Å (NaN for a contrast-matched particle).
    public var radiusOfGyration: Double {
        particle.radiusOfGyration(solvent: solvent, polydispersity: polydispersity)
    }

    /// The sasmodels parameter set, in sasmodels' names, that reproduces this sample in SasView: the model's
    /// parameters, then `scale`, `background` and, if polydisperse, `<size>_pd` (relative width),
    /// `<size>_pd_type` "gaussian", `<size>_pd_n` (the uniform-grid size that does not alias up to `qMax`,
    /// max(35, 3·PD·size·q_max + 1), docs/reference/saxs-physics.md §4) and `<size>_pd_nsigma`.
    public func sasmodelsParameters(qMax: Double) -> [(String, SasmodelsValue)] {
        let model = particle
        var list: [(String, SasmodelsValue)] = [("model", .text(type(of: particle).sasmodelsName))]
        list += model.parameters(solvent: solvent).map { ($0.0, .number($0.1)) }
        list.append(("scale", .number(scale)))
        list.append(("background", .number(background)))
        for pd in polydispersity where pd.distribution.relativeWidth > 0 {
            let name = pd.parameter, width = pd.distribution.relativeWidth
            if name == Polydispersity.lengthScale {
                list += [("length_scale_pd", .number(width)), ("length_scale_pd_type", .text("gaussian")),
                         ("length_scale_pd_nsigma", .number(pd.distribution.nsigma)),
                         ("length_scale_pd_note", .text("every length times one Gaussian factor of mean 1 "
                                                          + "(shape kept); number-weighted, normalised by <V>"))]
                continue
            }
            let size = model.value(of: name) ?? 0
            let points = max(35, Int((3 * width * size * qMax + 1).rounded(.up)))
            list += [("\(name)_pd", .number(width)), ("\(name)_pd_type", .text("gaussian")),
                     ("\(name)_pd_n", .number(Double(points))), ("\(name)_pd_nsigma", .number(pd.distribution.nsigma))]
        }
        return list
    }
}
