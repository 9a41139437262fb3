/// A model specification beamforge cannot evaluate: an unknown sasmodels model, a missing or unknown parameter.
public struct ParticleError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
