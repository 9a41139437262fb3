/// The axis an integration produces.
public enum IntegrationAxis: Sendable, Equatable {
    /// I(q), q in nm⁻¹.
    case radial
    /// I(φ) in the band qStart ≤ q ≤ qStop, φ in rad (SAXSDog's phi-mode).
    case azimuthal
    /// A GISAXS cut: the mean of a band of rows or columns against q_v or q_h in nm⁻¹ (SAXSDog's `Slices`).
    case cut(SliceSettings.Plane)
}
