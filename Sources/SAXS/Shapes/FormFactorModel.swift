import Foundation

/// One particle shape in sasmodels' conventions: its amplitude, normalising volume and radius of gyration, as
/// functions of its parameters (lengths in Å, SLDs in 10⁻⁶ Å⁻²).
///
/// The amplitude F is in 10⁻⁶ Å⁻² · Å³; ``ScatteringCurve`` turns ⟨F²⟩/⟨V⟩ into cm⁻¹ with the factor 10⁻⁴.
/// Length parameters may be polydisperse (``setting(_:to:)`` moves one); the generator makes ``sizeParameter`` so.
///
/// Each model has its own file here, after sasmodels 1.1.0 `models/<name>.c` as summarised in
/// docs/reference/saxs-physics.md §2. Orientation averages are ∫₀¹ du over u = cos α (sasmodels' ∫ sin α dα).
public protocol FormFactorModel: Sendable {
    /// The sasmodels model name, e.g. `core_shell_cylinder`.
    static var sasmodelsName: String { get }
    /// The sasmodels name of the size parameter the generator makes polydisperse, e.g. `radius`.
    var sizeParameter: String { get }
    /// The same particle with the length parameter named `parameter` (sasmodels' name) set to `value`; nil if the
    /// model has no such length parameter.
    func setting(_ parameter: String, to value: Double) -> Self?
    /// The largest distance from the centre to the surface in Å (sets the orientation rule; sasmodels' qr_max).
    var maxDimension: Double { get }
    /// Whether ⟨F²⟩ needs an orientation average.
    static var isAnisotropic: Bool { get }
    /// The normalising volume in Å³ (the shell volume for `vesicle`).
    var volume: Double { get }
    /// A factor sasmodels folds into the intensity besides `scale` (vesicle's `volfraction`; 1 otherwise).
    var intensityFactor: Double { get }
    /// F² averaged over orientations at `q`: ∫₀¹ F²(q, u) du with `rule`, u = cos(angle between axis and q).
    func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double
    /// F(q → 0) = Σ Δρₖ Vₖ.
    func forwardAmplitude(solvent: Double) -> Double
    /// The contrast-weighted Rg² = Σ Δρₖ ∫ r² dVₖ / Σ Δρₖ Vₖ (docs/reference/saxs-physics.md §7.2), in Å².
    func gyrationSquared(solvent: Double) -> Double
    /// The sasmodels parameters (without scale, background and polydispersity), in sasmodels' order.
    func parameters(solvent: Double) -> [(String, Double)]
    /// The particle of sasmodels' parameters `parameters` (by their sasmodels names; sasmodels' defaults for those
    /// not given).
    init(sasmodels parameters: [String: Double])

    /// dΣ/dΩ(q) of a population of such particles at each q of `q` into `intensity` (as many values), by
    /// ``ScatteringCurve``. Implemented once, below; a requirement so that a sample's `any FormFactorModel` reaches
    /// the kernels specialised for its model.
    func intensity(solvent: Double, scale: Double, background: Double, polydispersity: [Polydispersity],
                   q: Span<Double>, into intensity: inout MutableSpan<Double>, accuracy: QuadratureAccuracy)
    /// The z-averaged radius of gyration of a population in Å, by ``ScatteringCurve`` (implemented once, below).
    func radiusOfGyration(solvent: Double, polydispersity: [Polydispersity]) -> Double
}

extension FormFactorModel {
    public var intensityFactor: Double { 1 }

    public func intensity(solvent: Double, scale: Double, background: Double, polydispersity: [Polydispersity],
                          q: Span<Double>, into intensity: inout MutableSpan<Double>, accuracy: QuadratureAccuracy) {
        ScatteringCurve.intensity(self, solvent: solvent, scale: scale, background: background,
                                  polydispersity: polydispersity, q: q, into: &intensity, accuracy: accuracy)
    }

    public func radiusOfGyration(solvent: Double, polydispersity: [Polydispersity]) -> Double {
        ScatteringCurve.radiusOfGyration(self, solvent: solvent, polydispersity: polydispersity)
    }

    /// The particle with every length multiplied by `factor` (its shape kept): the sasmodels length parameters
    /// that ``setting(_:to:)`` accepts.
    public func scaled(by factor: Double) -> Self {
        var m = self
        for (name, value) in parameters(solvent: 0) {
            if let moved = m.setting(name, to: value * factor) { m = moved }
        }
        return m
    }
    /// The value of a parameter by its sasmodels name.
    public func value(of parameter: String, solvent: Double = 0) -> Double? {
        parameters(solvent: solvent).first { $0.0 == parameter }?.1
    }
    public static var isAnisotropic: Bool { false }
}
