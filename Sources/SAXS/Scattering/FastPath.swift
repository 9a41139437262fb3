import Foundation

/// Exact but cheaper evaluations of the generator's polydisperse anisotropic particles (docs/reference/saxs-physics.md §4,
/// "cost-saving tricks"). A direct evaluation costs (orientation points × size points) per q, up to ~10⁵ at
/// q·D ≈ 900; both paths here move the size average into a q-independent table of one variable:
///
/// - **Length-scale polydispersity** (every length × s, shape kept): F²(q; s) = s⁶·F²(q·s; 1), so
///   I(q) ∝ Σ w(s)·s⁶·P₁(q·s) with P₁, the orientation-averaged F² of the nominal particle, tabulated once on a grid
///   of x = q·s.
/// - **Cylinder radius polydispersity** (length fixed): F = f_c·sinc(qLu/2)·A(xR) + f_o·sinc(q(L/2 + t)u)·A(x(R + t))
///   with x = q√(1 − u²), so the size average of F² reduces to three functions of x alone,
///   G₁ = ⟨f_c²A²(xR)⟩, G₂ = ⟨f_o²A²(x(R + t))⟩, G₃ = ⟨f_c f_o A(xR)A(x(R + t))⟩, tabulated once.
///
/// Tables are interpolated with four-point Lagrange on steps of ``QuadratureAccuracy/tabulationStep``/D and
/// ``QuadratureAccuracy/cylinderTabulationStep``/D, D the largest dimension (checked against the direct sums to
/// 1e-5 in the tests).
enum FastPath {
    case lengthScale(SizeDistribution)
    case cylinderRadius(SizeDistribution)

    init?<Model: FormFactorModel>(_ model: Model, polydispersity: [Polydispersity], accuracy: QuadratureAccuracy) {
        guard Model.isAnisotropic, !accuracy.directOnly, !accuracy.sasmodelsOrientation, polydispersity.count == 1,
              polydispersity[0].distribution.uniformPoints == nil else { return nil }
        let pd = polydispersity[0]
        if pd.parameter == Polydispersity.lengthScale {
            self = .lengthScale(pd.distribution)
        } else if pd.parameter == "radius", model is any CylinderFamilyModel {
            self = .cylinderRadius(pd.distribution)
        } else {
            return nil
        }
    }

    func intensity<Model: FormFactorModel>(
        _ model: Model, solvent: Double, scale: Double, background: Double,
        q: UnsafeBufferPointer<Double>, into intensity: UnsafeMutableBufferPointer<Double>, accuracy: QuadratureAccuracy
    ) {
        let prefactor = scale * model.intensityFactor * 1e-4
        switch self {
        case .lengthScale(let distribution):
            Self.lengthScale(model, distribution: distribution, solvent: solvent, q: q, into: intensity, accuracy: accuracy)
        case .cylinderRadius(let distribution):
            if let member = model as? any CylinderFamilyModel {
                Self.cylinder(member.cylinderFamily(solvent: solvent), distribution: distribution, q: q,
                              into: intensity, accuracy: accuracy)
            }
        }
        for i in 0..<q.count { intensity[i] = prefactor * intensity[i] + background }
    }

    static func interpolate(_ table: UnsafeBufferPointer<Double>, _ grid: UniformGrid, at x: Double) -> Double {
        let (first, w) = grid.stencil(at: x)
        return dot(w, table, first)
    }

    /// Σ wₖ·table[first + k], k < 4: a stencil applied to a table.
    @inline(__always)
    static func dot(_ w: SIMD4<Double>, _ table: UnsafeBufferPointer<Double>, _ first: Int) -> Double {
        w[0] * table[first] + w[1] * table[first + 1] + w[2] * table[first + 2] + w[3] * table[first + 3]
    }

    /// Writes ⟨F²⟩/⟨V⟩ (without the prefactor) for length-scale polydispersity.
    static func lengthScale<Model: FormFactorModel>(
        _ model: Model, distribution: SizeDistribution, solvent: Double, q: UnsafeBufferPointer<Double>,
        into out: UnsafeMutableBufferPointer<Double>, accuracy: QuadratureAccuracy
    ) {
        let size = model.maxDimension
        let window = distribution.window(around: 1)
        let qMax = q.max() ?? 0
        let step = accuracy.tabulationStep / size
        let grid = UniformGrid(start: 0, step: step, count: Int(qMax * window.upperBound / step) + 6)
        var table = [Double](repeating: 0, count: grid.count)
        for j in 0..<grid.count {
            let x = Double(j) * step
            table[j] = model.meanSquaredAmplitude(q: x, solvent: solvent, rule: accuracy.orientationRule(qD: x * size))
        }
        var nodeSets: [Int: (s: [Double], w: [Double], volume: Double)] = [:]
        table.withUnsafeBufferPointer { p in
            for i in 0..<q.count {
                let phase = 2 * q[i] * size * (window.upperBound - window.lowerBound)
                let points = accuracy.sizePoints(phase: phase)
                if nodeSets[points] == nil {
                    let (s, w) = distribution.nodes(around: 1, rule: GaussLegendre.rule(points))
                    var volume = 0.0
                    for k in 0..<s.count { volume += w[k] * s[k] * s[k] * s[k] }
                    nodeSets[points] = (s, w, volume * model.volume)
                }
                let set = nodeSets[points]!
                var sum = 0.0
                for k in 0..<set.s.count {
                    let s3 = set.s[k] * set.s[k] * set.s[k]
                    sum += set.w[k] * s3 * s3 * interpolate(p, grid, at: q[i] * set.s[k])
                }
                out[i] = sum / set.volume
            }
        }
    }

    /// A cylinder or core-shell cylinder as the radius-polydisperse path sees it (``CylinderFamilyModel``).
    struct CylinderFamily {
        var radius, thickness, length: Double
        var coreContrast, shellContrast: Double
        /// The outer volume at core radius R.
        var outerVolume: (Double) -> Double
    }

    /// Writes ⟨F²⟩/⟨V⟩ (without the prefactor) for radius polydispersity of the cylinder family.
    static func cylinder(_ c: CylinderFamily, distribution: SizeDistribution, q: UnsafeBufferPointer<Double>,
                         into out: UnsafeMutableBufferPointer<Double>, accuracy: QuadratureAccuracy) {
        let window = distribution.window(around: c.radius)
        let qMax = q.max() ?? 0
        let largest = window.upperBound + c.thickness
        let step = accuracy.cylinderTabulationStep / largest
        let grid = UniformGrid(start: 0, step: step, count: Int(qMax / step) + 6)
        var g1 = [Double](repeating: 0, count: grid.count)
        var g2 = g1, g3 = g1
        let hasShell = c.shellContrast != 0 && c.thickness >= 0
        // (f·2J₁(xr)/(xr))² = (4/x²)·(f/r)²·J₁(xr)²: per size node the weights absorb (f/r)² (and f_c f_o/(r r_o)
        // for the cross term), so the loop over nodes needs J₁ only, without a division.
        struct NodeSet {
            var core: [Double] = [], outer: [Double] = []
            var c1: [Double] = [], c2: [Double] = [], c3: [Double] = []
            var total = 0.0
            /// The x = 0 limits Σ w f² (disc(0) = 1), for the first grid point.
            var g0 = (0.0, 0.0, 0.0)
        }
        var nodeSets: [Int: NodeSet] = [:]
        func nodes(_ points: Int) -> NodeSet {
            if let set = nodeSets[points] { return set }
            let (r, w) = distribution.nodes(around: c.radius, rule: GaussLegendre.rule(points))
            var set = NodeSet()
            set.total = w.reduce(0, +)
            for k in r.indices {
                let fc = c.coreContrast * Double.pi * r[k] * r[k] * c.length
                let ro = r[k] + c.thickness
                let fo = hasShell ? c.shellContrast * Double.pi * ro * ro * (c.length + 2 * c.thickness) : 0
                set.core.append(r[k])
                set.outer.append(ro)
                set.c1.append(w[k] * fc * fc / (r[k] * r[k]))
                set.c2.append(w[k] * fo * fo / (ro * ro))
                set.c3.append(w[k] * fc * fo / (r[k] * ro))
                set.g0.0 += w[k] * fc * fc
                set.g0.1 += w[k] * fo * fo
                set.g0.2 += w[k] * fc * fo
            }
            nodeSets[points] = set
            return set
        }
        for j in 0..<grid.count {
            let x = Double(j) * step
            let phase = 2 * x * (window.upperBound - window.lowerBound)
            let set = nodes(accuracy.sizePoints(phase: phase))
            guard j > 0 else {
                (g1[0], g2[0], g3[0]) = (set.g0.0 / set.total, set.g0.1 / set.total, set.g0.2 / set.total)
                continue
            }
            var s1 = 0.0, s2 = 0.0, s3 = 0.0
            if hasShell {
                for k in 0..<set.core.count {
                    let jc = BesselJ1.value(x * set.core[k]), jo = BesselJ1.value(x * set.outer[k])
                    s1 += set.c1[k] * jc * jc
                    s2 += set.c2[k] * jo * jo
                    s3 += set.c3[k] * jc * jo
                }
            } else {
                for k in 0..<set.core.count { s1 += set.c1[k] * BesselJ1.squared(x * set.core[k]) }
            }
            let scale = 4 / (x * x * set.total)
            g1[j] = s1 * scale
            g2[j] = s2 * scale
            g3[j] = s3 * scale
        }
        // ⟨V⟩ over the size distribution (V is a polynomial in R: 64 nodes are exact).
        let volumeNodes = distribution.nodes(around: c.radius, rule: GaussLegendre.rule(64))
        var volume = 0.0, total = 0.0
        for k in 0..<volumeNodes.sizes.count {
            volume += volumeNodes.weights[k] * c.outerVolume(volumeNodes.sizes[k])
            total += volumeNodes.weights[k]
        }
        volume /= total
        let halfCore = c.length / 2, halfOuter = c.length / 2 + c.thickness
        let maxDimension = max(largest, halfOuter)
        g1.withUnsafeBufferPointer { t1 in
            g2.withUnsafeBufferPointer { t2 in
                g3.withUnsafeBufferPointer { t3 in
                    for i in 0..<q.count {
                        let qi = q[i]
                        let rule = accuracy.orientationRule(qD: qi * maxDimension)
                        var sum = 0.0
                        rule.u.withUnsafeBufferPointer { u in
                            rule.sinAlpha.withUnsafeBufferPointer { sinAlpha in
                                rule.weights.withUnsafeBufferPointer { weights in
                                    for n in 0..<u.count {
                                        let (first, w) = grid.stencil(at: qi * sinAlpha[n])
                                        let sc = Amplitude.sinc(qi * halfCore * u[n])
                                        var value = sc * sc * dot(w, t1, first)
                                        if hasShell {
                                            let so = Amplitude.sinc(qi * halfOuter * u[n])
                                            value += so * so * dot(w, t2, first) + 2 * sc * so * dot(w, t3, first)
                                        }
                                        sum += weights[n] * value
                                    }
                                }
                            }
                        }
                        out[i] = sum / volume
                    }
                }
            }
        }
    }
}

/// A model the radius-polydisperse cylinder path evaluates (polydisperse in `radius`, its length fixed): a cylinder
/// whose core may carry a shell of constant thickness, end caps included.
protocol CylinderFamilyModel: FormFactorModel {
    /// The particle's radii, length and contrasts against `solvent`.
    func cylinderFamily(solvent: Double) -> FastPath.CylinderFamily
}
