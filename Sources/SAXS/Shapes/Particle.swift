import Foundation

/// A particle of one of the seven sasmodels models behind the shape classes.
public enum Particle: Sendable {
    case sphere(SphereModel)
    case coreShellSphere(CoreShellSphereModel)
    case vesicle(VesicleModel)
    case cylinder(CylinderModel)
    case coreShellCylinder(CoreShellCylinderModel)
    case ellipsoid(EllipsoidModel)
    case coreShellEllipsoid(CoreShellEllipsoidModel)

    /// The model, opened for generic code (the hot loops run on the concrete type).
    var model: any FormFactorModel {
        switch self {
        case .sphere(let m): m
        case .coreShellSphere(let m): m
        case .vesicle(let m): m
        case .cylinder(let m): m
        case .coreShellCylinder(let m): m
        case .ellipsoid(let m): m
        case .coreShellEllipsoid(let m): m
        }
    }

    /// The sasmodels model name.
    public var sasmodelsName: String { type(of: model).sasmodelsName }

    /// Builds a particle from sasmodels' model name and parameters (missing ones take sasmodels' defaults).
    public init(sasmodels name: String, parameters p: [String: Double]) throws(ParticleError) {
        func value(_ key: String, _ fallback: Double) -> Double { p[key] ?? fallback }
        switch name {
        case "sphere":
            self = .sphere(SphereModel(radius: value("radius", 50), sld: value("sld", 1)))
        case "core_shell_sphere":
            self = .coreShellSphere(CoreShellSphereModel(radius: value("radius", 60), thickness: value("thickness", 10),
                                                         sldCore: value("sld_core", 1), sldShell: value("sld_shell", 2)))
        case "vesicle":
            self = .vesicle(VesicleModel(radius: value("radius", 100), thickness: value("thickness", 30),
                                         sld: value("sld", 0.5), volfraction: value("volfraction", 0.05)))
        case "cylinder":
            self = .cylinder(CylinderModel(radius: value("radius", 20), length: value("length", 400),
                                           sld: value("sld", 4)))
        case "core_shell_cylinder":
            self = .coreShellCylinder(CoreShellCylinderModel(
                radius: value("radius", 20), thickness: value("thickness", 20), length: value("length", 400),
                sldCore: value("sld_core", 4), sldShell: value("sld_shell", 4)))
        case "ellipsoid":
            self = .ellipsoid(EllipsoidModel(radiusPolar: value("radius_polar", 20),
                                             radiusEquatorial: value("radius_equatorial", 400), sld: value("sld", 4)))
        case "core_shell_ellipsoid":
            self = .coreShellEllipsoid(CoreShellEllipsoidModel(
                radiusEquatCore: value("radius_equat_core", 20), xCore: value("x_core", 3),
                thickShell: value("thick_shell", 30), xPolarShell: value("x_polar_shell", 1),
                sldCore: value("sld_core", 2), sldShell: value("sld_shell", 1)))
        default:
            throw ParticleError("unknown sasmodels model '\(name)'")
        }
    }
}

extension Particle {
    /// The sasmodels name of the size parameter the generator makes polydisperse.
    public var sizeParameter: String { model.sizeParameter }
    /// The largest distance from the centre to the surface in Å.
    public var maxDimension: Double { model.maxDimension }
}
