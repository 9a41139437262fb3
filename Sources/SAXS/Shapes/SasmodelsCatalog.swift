/// The sasmodels models beamforge evaluates, by name (`beamforge saxs-model`): the models behind the shape classes,
/// each once, in the order of their first class in ``ShapeClass/allCases``.
public enum SasmodelsCatalog {
    public static let models: [any FormFactorModel.Type] = {
        var models: [any FormFactorModel.Type] = []
        for shape in ShapeClass.allCases where !models.contains(where: { $0 == shape.model }) {
            models.append(shape.model)
        }
        return models
    }()

    /// The particle of sasmodels model `name` with `parameters` (sasmodels' names; missing ones take sasmodels'
    /// defaults).
    public static func particle(sasmodels name: String,
                                parameters: [String: Double]) throws(ParticleError) -> any FormFactorModel {
        guard let model = models.first(where: { $0.sasmodelsName == name }) else {
            throw ParticleError("unknown sasmodels model '\(name)'")
        }
        return model.init(sasmodels: parameters)
    }
}
