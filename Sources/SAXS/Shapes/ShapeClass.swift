import Core

/// The nine shape classes of the dataset and how each draws its parameters (docs/reference/saxs-physics.md §2; ranges in
/// ``SAXSConfig``). Every class is a sasmodels model. Spheres, shells and cylinders are polydisperse in one sasmodels
/// radius (refit in SasView with the recorded `radius_pd`); the four ellipsoidal classes in a common length scale
/// (every length × one Gaussian factor, the shape kept: the exact fixed-aspect-ratio method, docs/reference/saxs-physics.md §4),
/// recorded as `length_scale_pd`.
public enum ShapeClass: String, CaseIterable, Sendable {
    case sphere
    case cylinder
    case oblateEllipsoid = "oblate_ellipsoid"
    case prolateEllipsoid = "prolate_ellipsoid"
    case coreShellSphere = "core_shell_sphere"
    /// sasmodels `vesicle`: normalised by the shell volume, the volume fraction in `volfraction` (scale = 1).
    case hollowSphere = "hollow_sphere"
    case coreShellOblateEllipsoid = "core_shell_oblate_ellipsoid"
    case coreShellProlateEllipsoid = "core_shell_prolate_ellipsoid"
    case coreShellCylinder = "core_shell_cylinder"

    /// Draws a sample of this class. The order of draws is fixed per class (it defines the dataset).
    public func draw(_ c: SAXSConfig, random r: inout RandomStream) -> Sample {
        func uniform(_ range: [Double]) -> Double { r.uniform(in: range[0]...range[1]) }
        func logUniform(_ range: [Double]) -> Double { r.logUniform(in: range[0]...range[1]) }
        let solvent = uniform(c.sldSolvent)
        let fraction = logUniform(c.volumeFraction)
        let width = uniform(c.polydispersity)
        var scale = fraction
        let particle: Particle
        switch self {
        case .sphere:
            particle = .sphere(SphereModel(radius: logUniform(c.size), sld: uniform(c.sld)))
        case .cylinder:
            let radius = logUniform(c.size)
            particle = .cylinder(CylinderModel(radius: radius, length: uniform(c.cylinderLengthRatio) * radius,
                                               sld: uniform(c.sld)))
        case .oblateEllipsoid:
            let equatorial = logUniform(c.size)
            particle = .ellipsoid(EllipsoidModel(radiusPolar: uniform(c.oblateAspect) * equatorial,
                                                 radiusEquatorial: equatorial, sld: uniform(c.sld)))
        case .prolateEllipsoid:
            let polar = logUniform(c.size)
            particle = .ellipsoid(EllipsoidModel(radiusPolar: polar, radiusEquatorial: polar / uniform(c.prolateAspect),
                                                 sld: uniform(c.sld)))
        case .coreShellSphere:
            let outer = logUniform(c.size)
            let thickness = uniform(c.shellFraction) * outer
            particle = .coreShellSphere(CoreShellSphereModel(radius: outer - thickness, thickness: thickness,
                                                             sldCore: uniform(c.sldCore), sldShell: uniform(c.sldShell)))
        case .hollowSphere:
            let outer = logUniform(c.hollowOuterRadius)
            let inner = uniform(c.hollowInnerFraction) * outer
            particle = .vesicle(VesicleModel(radius: inner, thickness: outer - inner, sld: uniform(c.sld),
                                             volfraction: fraction))
            scale = 1
        case .coreShellOblateEllipsoid:
            let outer = logUniform(c.size)
            let thickness = uniform(c.shellFraction) * outer
            particle = .coreShellEllipsoid(CoreShellEllipsoidModel(
                radiusEquatCore: outer - thickness, xCore: uniform(c.oblateAspect), thickShell: thickness,
                xPolarShell: 1, sldCore: uniform(c.sldCore), sldShell: uniform(c.sldShell)))
        case .coreShellProlateEllipsoid:
            let outer = logUniform(c.size)
            let thickness = uniform(c.shellFraction) * outer
            let aspect = uniform(c.prolateAspect)
            particle = .coreShellEllipsoid(CoreShellEllipsoidModel(
                radiusEquatCore: (outer - thickness) / aspect, xCore: aspect, thickShell: thickness, xPolarShell: 1,
                sldCore: uniform(c.sldCore), sldShell: uniform(c.sldShell)))
        case .coreShellCylinder:
            let outer = logUniform(c.size)
            let thickness = uniform(c.shellFraction) * outer
            let radius = outer - thickness
            particle = .coreShellCylinder(CoreShellCylinderModel(
                radius: radius, thickness: thickness, length: uniform(c.cylinderLengthRatio) * radius,
                sldCore: uniform(c.sldCore), sldShell: uniform(c.sldShell)))
        }
        let parameter = usesLengthScale ? Polydispersity.lengthScale : particle.sizeParameter
        return Sample(particle: particle, solvent: solvent, scale: scale, background: c.background,
                      polydispersity: [Polydispersity(parameter, SizeDistribution(relativeWidth: width))])
    }

    /// Whether the polydispersity scales every length (ellipsoidal classes) rather than one radius.
    public var usesLengthScale: Bool {
        [.oblateEllipsoid, .prolateEllipsoid, .coreShellOblateEllipsoid, .coreShellProlateEllipsoid].contains(self)
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
