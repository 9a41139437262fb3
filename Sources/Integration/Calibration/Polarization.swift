/// Polarization correction as SAXSDog states it: the fraction polarized along `angleDeg`.
public struct Polarization: Sendable, Equatable {
    public var fraction: Double
    public var angleDeg: Double
}
