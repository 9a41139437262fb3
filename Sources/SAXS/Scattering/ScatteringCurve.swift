import Foundation

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

    /// Writes I(q) for every q of `q` (Å⁻¹) into `intensity` (as many values).
    /// - Precondition: every polydisperse parameter is a length parameter of `model`.
    public static func intensity<Model: FormFactorModel>(
        _ model: Model, solvent: Double, scale: Double, background: Double, polydispersity: [Polydispersity],
        q: Span<Double>, into intensity: inout MutableSpan<Double>, accuracy: QuadratureAccuracy = .standard
    ) {
        precondition(q.count == intensity.count)
        q.withUnsafeBufferPointer { q in
            intensity.withUnsafeMutableBufferPointer { intensity in
                Self.intensity(model, solvent: solvent, scale: scale, background: background,
                               polydispersity: polydispersity, q: q, intoBuffer: intensity, accuracy: accuracy)
            }
        }
    }

    /// ``intensity(_:solvent:scale:background:polydispersity:q:into:accuracy:)`` on the spans' memory.
    private static func intensity<Model: FormFactorModel>(
        _ model: Model, solvent: Double, scale: Double, background: Double, polydispersity: [Polydispersity],
        q: UnsafeBufferPointer<Double>, intoBuffer intensity: UnsafeMutableBufferPointer<Double>,
        accuracy: QuadratureAccuracy
    ) {
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
