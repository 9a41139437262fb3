/// A value of a sasmodels parameter set (``Sample/sasmodelsParameters(qMax:)``): a number or a text such as the
/// model's name or a polydispersity type.
public enum SasmodelsValue: Sendable, Equatable {
    case number(Double)
    case text(String)
}
