import Foundation

/// How finely the orientation and size integrals are sampled. Both rules adapt to the phase the integrand sweeps, so
/// the error stays below 10⁻⁶ (default) from q·R ≈ 0 to q·R ≈ 900; sasmodels' fixed rules alias there (docs/reference/saxs-physics.md
/// §3, §4).
public struct QuadratureAccuracy: Sendable, Equatable {
    /// Use sasmodels' own orientation rules instead (20/76/500/5000 points in α, chosen per particle), to
    /// reproduce its values including where they are not converged.
    public var sasmodelsOrientation = false
    /// Evaluate every size and orientation node directly, without the tabulated fast paths (for checking them).
    public var directOnly = false
    /// Steps of the fast paths' tables in units of 1/D (D the particle's largest dimension): the length-scale
    /// master curve (orientation-averaged, smooth) and the cylinders' G functions (which keep the fringes of 2J₁).
    public var tabulationStep = 0.15
    public var cylinderTabulationStep = 0.07
    /// Orientation points: at least `orientationBase + orientationSlope · q · D_max`.
    public var orientationBase: Double
    public var orientationSlope: Double
    /// Size-distribution points: at least `sizeBase + sizeSlope · 2q · (window width)`, the phase F² sweeps
    /// across the ±3σ window.
    public var sizeBase: Double
    public var sizeSlope: Double

    public init(orientationBase: Double, orientationSlope: Double, sizeBase: Double, sizeSlope: Double) {
        self.orientationBase = orientationBase
        self.orientationSlope = orientationSlope
        self.sizeBase = sizeBase
        self.sizeSlope = sizeSlope
    }

    /// The production rule (≤ 1e-6 relative against 8192-point references in the tests).
    public static let standard = QuadratureAccuracy(orientationBase: 20, orientationSlope: 1.0, sizeBase: 16,
                                                    sizeSlope: 0.4)
    /// The orientation rule for q·D_max = `qD` (D_max the largest dimension).
    public func orientationRule(qD: Double) -> OrientationRule {
        OrientationRule.legendre(GaussLegendre.atLeast(Int((orientationBase + orientationSlope * qD).rounded(.up))))
    }

    /// Size-distribution points for a window across which F² sweeps `phase` radians (2q × window width).
    public func sizePoints(phase: Double) -> Int {
        GaussLegendre.atLeast(Int((sizeBase + sizeSlope * phase).rounded(.up))).count
    }

    /// sasmodels 1.1.0's orientation rules, for reproducing its numbers.
    public static let sasmodels: QuadratureAccuracy = {
        var accuracy = QuadratureAccuracy.standard
        accuracy.sasmodelsOrientation = true
        return accuracy
    }()
    /// A slow, converged reference for tests and benchmarks: 2.5× the standard orientation and size points,
    /// direct sums.
    public static let reference: QuadratureAccuracy = {
        var accuracy = QuadratureAccuracy(orientationBase: 50, orientationSlope: 2.5, sizeBase: 40, sizeSlope: 1.0)
        accuracy.directOnly = true
        return accuracy
    }()
}

/// A Gaussian size distribution in sasmodels' convention: number-weighted, σ = PD·size, truncated at ±`nsigma`·σ
/// and at size ≥ 0 (sasmodels drops negative sizes), with the weights renormalised.
///
/// beamforge integrates it with Gauss–Legendre nodes over the window, as many as the phase of F² across the window
/// needs, which is the n → ∞ limit of sasmodels' grid. `uniformPoints` reproduces sasmodels' own grid instead
/// (`linspace(−3σ, 3σ, n)` with weights exp(−z²/2), `weights.py` `GaussianDispersion`), for comparisons.
public struct SizeDistribution: Sendable, Equatable {
    public var relativeWidth: Double
    public var nsigma: Double
    /// sasmodels' uniform grid of this many points, or nil for the converged adaptive rule.
    public var uniformPoints: Int?

    public init(relativeWidth: Double, nsigma: Double = 3, uniformPoints: Int? = nil) {
        self.relativeWidth = relativeWidth
        self.nsigma = nsigma
        self.uniformPoints = uniformPoints
    }

    public static let monodisperse = SizeDistribution(relativeWidth: 0)

    /// The integration window around `size` (Å).
    public func window(around size: Double) -> ClosedRange<Double> {
        let sigma = relativeWidth * size
        return max(size - nsigma * sigma, 0)...(size + nsigma * sigma)
    }

    /// Gauss–Legendre nodes over the window, weighted by the Gaussian (unnormalised).
    public func nodes(around size: Double, rule: GaussLegendre) -> (sizes: [Double], weights: [Double]) {
        guard relativeWidth > 0 else { return ([size], [1]) }
        let sigma = relativeWidth * size
        let w = window(around: size)
        let half = (w.upperBound - w.lowerBound) / 2, mid = (w.upperBound + w.lowerBound) / 2
        var sizes = [Double](repeating: 0, count: rule.count)
        var weights = [Double](repeating: 0, count: rule.count)
        for i in 0..<rule.count {
            let x = mid + half * rule.nodes[i]
            let z = (x - size) / sigma
            sizes[i] = x
            weights[i] = rule.weights[i] * exp(-z * z / 2)
        }
        return (sizes, weights)
    }

    /// sasmodels' grid: `points` sizes evenly spaced over ±nsigma·σ (negative ones dropped), weights exp(−z²/2).
    public func uniformNodes(around size: Double, points: Int) -> (sizes: [Double], weights: [Double]) {
        guard relativeWidth > 0, points > 1 else { return ([size], [1]) }
        let sigma = relativeWidth * size
        var sizes: [Double] = [], weights: [Double] = []
        for i in 0..<points {
            let z = -nsigma + 2 * nsigma * Double(i) / Double(points - 1)
            let x = size + z * sigma
            guard x >= 0 else { continue }
            sizes.append(x)
            weights.append(exp(-z * z / 2))
        }
        return (sizes, weights)
    }
}

/// A size distribution on one length parameter, by its sasmodels name, or on the common scale of all lengths
/// (``lengthScale``: the shape is kept, every length is multiplied by one Gaussian factor of mean 1).
public struct Polydispersity: Sendable, Equatable {
    public var parameter: String
    public var distribution: SizeDistribution

    /// The pseudo-parameter that scales every length together.
    public static let lengthScale = "length_scale"

    public init(_ parameter: String, _ distribution: SizeDistribution) {
        self.parameter = parameter
        self.distribution = distribution
    }

    /// The centre of the distribution for `model`: the parameter's value (Å), or 1 for the length scale.
    func centre<Model: FormFactorModel>(of model: Model) -> Double {
        parameter == Self.lengthScale ? 1 : model.value(of: parameter)!
    }

    /// `model` with the distributed quantity set to `value`.
    func applying<Model: FormFactorModel>(_ value: Double, to model: Model) -> Model {
        parameter == Self.lengthScale ? model.scaled(by: value) : model.setting(parameter, to: value)!
    }

    /// The window the distribution spans in Å of the moving length (the largest dimension for the length scale),
    /// which sets the phase F² sweeps across it.
    func lengthWindow<Model: FormFactorModel>(of model: Model) -> Double {
        let w = distribution.window(around: centre(of: model))
        return (w.upperBound - w.lowerBound) * (parameter == Self.lengthScale ? model.maxDimension : 1)
    }
}

/// dΣ/dΩ(q) of a dilute, polydisperse population of one shape, in sasmodels' convention:
///
///   I(q) = scale · factor · 10⁻⁴ · ⟨F²⟩ / ⟨V⟩ + background   [cm⁻¹],
///
/// with ⟨·⟩ the number-weighted average over the size distributions (sasmodels `kernel_iq.c`; polydispersity.rst
/// eq. 9; several distributions nest as a product) and `factor` 1 except for vesicle's volfraction. ⟨F²⟩ is also
/// averaged over orientations.
public enum ScatteringCurve {
    /// The weighted particles of one node set, and Σ w·V.
    struct NodeSet<Model: FormFactorModel> {
        var models: [Model]
        var weights: [Double]
        var volume: Double
    }

    /// The product of every distribution's nodes; `points[d]` is the rule size of distribution d (0: sasmodels'
    /// uniform grid).
    static func nodeSet<Model: FormFactorModel>(_ model: Model, _ polydispersity: [Polydispersity],
                                                points: [Int]) -> NodeSet<Model> {
        var models = [model], weights = [1.0]
        for (d, pd) in polydispersity.enumerated() {
            let centre = pd.centre(of: model)
            let (sizes, w) = points[d] == 0
                ? pd.distribution.uniformNodes(around: centre, points: pd.distribution.uniformPoints!)
                : pd.distribution.nodes(around: centre, rule: GaussLegendre.rule(points[d]))
            var nextModels: [Model] = [], nextWeights: [Double] = []
            nextModels.reserveCapacity(models.count * sizes.count)
            for (m, mw) in zip(models, weights) {
                for (x, xw) in zip(sizes, w) {
                    nextModels.append(pd.applying(x, to: m))
                    nextWeights.append(mw * xw)
                }
            }
            models = nextModels
            weights = nextWeights
        }
        var volume = 0.0
        for k in 0..<models.count { volume += weights[k] * models[k].volume }
        return NodeSet(models: models, weights: weights, volume: volume)
    }

    /// Writes I(q) for every q of `q` (Å⁻¹) into `intensity`.
    /// - Precondition: every polydisperse parameter is a length parameter of `model`.
    public static func intensity<Model: FormFactorModel>(
        _ model: Model, solvent: Double, scale: Double, background: Double, polydispersity: [Polydispersity],
        q: UnsafeBufferPointer<Double>, into intensity: UnsafeMutableBufferPointer<Double>,
        accuracy: QuadratureAccuracy = .standard
    ) {
        precondition(q.count == intensity.count)
        let active = polydispersity.filter { $0.distribution.relativeWidth > 0 }
        if let fast = FastPath(model, polydispersity: active, accuracy: accuracy) {
            fast.intensity(model, solvent: solvent, scale: scale, background: background, q: q, into: intensity,
                           accuracy: accuracy)
            return
        }
        let windows = active.map { $0.lengthWindow(of: model) }
        var largest = model
        for pd in active { largest = pd.applying(pd.distribution.window(around: pd.centre(of: model)).upperBound, to: largest) }
        let prefactor = scale * model.intensityFactor * 1e-4
        // Node sets are shared by every q that asks for the same rule sizes.
        var nodeSets: [[Int]: NodeSet<Model>] = [:]
        for i in 0..<q.count {
            let qi = q[i]
            let points = zip(active, windows).map { pd, width in
                pd.distribution.uniformPoints != nil ? 0 : accuracy.sizePoints(phase: 2 * qi * width)
            }
            let set: NodeSet<Model>
            if let cached = nodeSets[points] {
                set = cached
            } else {
                set = nodeSet(model, active, points: points)
                nodeSets[points] = set
            }
            var sum = 0.0
            if accuracy.sasmodelsOrientation && Model.isAnisotropic {
                for k in 0..<set.models.count {
                    let m = set.models[k]
                    let rule = OrientationRule.sasmodels(points: OrientationRule.sasmodelsPoints(qr: qi * m.maxDimension))
                    sum += set.weights[k] * m.meanSquaredAmplitude(q: qi, solvent: solvent, rule: rule)
                }
            } else {
                let rule = Model.isAnisotropic ? accuracy.orientationRule(qD: qi * largest.maxDimension)
                    : OrientationRule.legendre(GaussLegendre.rule(8))
                for k in 0..<set.models.count {
                    sum += set.weights[k] * set.models[k].meanSquaredAmplitude(q: qi, solvent: solvent, rule: rule)
                }
            }
            intensity[i] = prefactor * sum / set.volume + background
        }
    }

    /// The z-averaged radius of gyration in Å: Rg² = Σ w F(0)² Rg² / Σ w F(0)² over the size distributions, with
    /// each particle's contrast-weighted Rg (docs/reference/saxs-physics.md §7.2). NaN where the forward amplitude vanishes
    /// (contrast-matched particles have no Guinier region).
    public static func radiusOfGyration<Model: FormFactorModel>(_ model: Model, solvent: Double,
                                                                polydispersity: [Polydispersity]) -> Double {
        let active = polydispersity.filter { $0.distribution.relativeWidth > 0 }
        let set = nodeSet(model, active, points: active.map { _ in 64 })
        var numerator = 0.0, denominator = 0.0
        for (m, w) in zip(set.models, set.weights) {
            let f0 = m.forwardAmplitude(solvent: solvent)
            numerator += w * f0 * f0 * m.gyrationSquared(solvent: solvent)
            denominator += w * f0 * f0
        }
        let rg2 = numerator / denominator
        return rg2 > 0 && denominator > 0 ? rg2.squareRoot() : .nan
    }
}
