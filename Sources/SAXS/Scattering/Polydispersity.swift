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
