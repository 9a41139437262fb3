import Core

/// A shape class of the dataset: its name, the sasmodels model behind it and how it draws its parameters
/// (docs/reference/saxs-physics.md §2; ranges in ``SAXSConfig``). Spheres, shells and cylinders are polydisperse in one
/// sasmodels radius (refit in SasView with the recorded `radius_pd`); the four ellipsoidal classes in a common length
/// scale (every length × one Gaussian factor, the shape kept: the exact fixed-aspect-ratio method,
/// docs/reference/saxs-physics.md §4), recorded as `length_scale_pd`.
///
/// Each class is declared beside its model, in the model's file (``sphere`` in SphereModel.swift, the two ellipsoids
/// in EllipsoidModel.swift, …), and listed once, in ``allCases``. A new class is a `static let` there (in a new
/// model's file for a new model) and a line in ``allCases``; ``SAXSConfig`` only if it needs ranges of its own.
public struct ShapeClass: CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Every class, in the order of the default `classes` (which numbers them in `shape_class`).
    public static let allCases: [ShapeClass] = [
        .sphere, .cylinder, .oblateEllipsoid, .prolateEllipsoid, .coreShellSphere, .hollowSphere,
        .coreShellOblateEllipsoid, .coreShellProlateEllipsoid, .coreShellCylinder,
    ]

    /// The class's name in configurations and outputs, e.g. `core_shell_sphere`.
    public let rawValue: String
    /// The sasmodels model behind the class.
    public let model: any FormFactorModel.Type
    /// Whether the polydispersity scales every length (ellipsoidal classes) rather than the model's
    /// ``FormFactorModel/sizeParameter``.
    public let usesLengthScale: Bool
    /// Rods and prolate bodies, whose Guinier region ends earlier (q_min·Rg ≤ 0.8,
    /// docs/reference/saxs-physics.md §7.4).
    public let isElongated: Bool
    /// Draws the particle's parameters; the order of draws is fixed per class (it defines the dataset).
    private let drawParticle: @Sendable (inout ParticleDraw) -> any FormFactorModel

    /// A class named `name` whose particles are `Model`s drawn by `draw`.
    public init<Model: FormFactorModel>(_ name: String, model: Model.Type, usesLengthScale: Bool = false,
                                        isElongated: Bool = false,
                                        draw: @escaping @Sendable (inout ParticleDraw) -> Model) {
        rawValue = name
        self.model = model
        self.usesLengthScale = usesLengthScale
        self.isElongated = isElongated
        drawParticle = { draw(&$0) }
    }

    /// The class named `rawValue`, if there is one.
    public init?(rawValue: String) {
        guard let found = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = found
    }

    public var description: String { rawValue }

    public static func == (a: ShapeClass, b: ShapeClass) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// Draws a sample of this class: the solvent, volume fraction and polydispersity, then the particle.
    public func draw(_ c: SAXSConfig, random r: inout RandomStream) -> Sample {
        var draws = ParticleDraw(config: c, random: r)
        let solvent = draws.uniform(\.sldSolvent)
        let fraction = draws.logUniform(\.volumeFraction)
        let width = draws.uniform(\.polydispersity)
        (draws.volumeFraction, draws.scale) = (fraction, fraction)
        let particle = drawParticle(&draws)
        r = draws.random
        let parameter = usesLengthScale ? Polydispersity.lengthScale : particle.sizeParameter
        return Sample(particle: particle, solvent: solvent, scale: draws.scale, background: c.background,
                      polydispersity: [Polydispersity(parameter, SizeDistribution(relativeWidth: width))])
    }

    /// The class of item `item` among `count` classes: blocks of `count` consecutive items hold each class once,
    /// in an order shuffled by the block's own random stream, so counts are balanced and depend on the seed only.
    public static func index(ofItem item: Int, classes count: Int, seed: UInt64, stream: UInt32) -> Int {
        let block = item / count
        var random = RandomStream(seed: seed, item: block, stream: stream)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, random.integer(in: 0..<(i + 1)))
        }
        return order[item % count]
    }
}

/// The draws of one particle: the configured ranges (uniform, or log-uniform for sizes and volume fractions) taken
/// from the item's parameter stream, and the sample's volume fraction, drawn before the particle.
public struct ParticleDraw {
    /// The ranges.
    public let config: SAXSConfig
    var random: RandomStream
    /// The sample's volume fraction.
    public internal(set) var volumeFraction = 0.0
    /// sasmodels' `scale`: the volume fraction, unless the model carries it itself (vesicle's `volfraction`), then 1.
    public var scale = 0.0

    init(config: SAXSConfig, random: RandomStream) {
        self.config = config
        self.random = random
    }

    /// A value drawn uniformly from the range at `range` (`[min, max]`).
    public mutating func uniform(_ range: KeyPath<SAXSConfig, [Double]>) -> Double {
        let bounds = config[keyPath: range]
        return random.uniform(in: bounds[0]...bounds[1])
    }

    /// A value drawn log-uniformly from the range at `range` (`[min, max]`).
    public mutating func logUniform(_ range: KeyPath<SAXSConfig, [Double]>) -> Double {
        let bounds = config[keyPath: range]
        return random.logUniform(in: bounds[0]...bounds[1])
    }
}
