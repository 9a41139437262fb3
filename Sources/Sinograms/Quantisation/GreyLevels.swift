/// Values in [0, 1] as 16-bit grey levels, the rule of every TIFF beamforge writes.
public enum GreyLevels {
    /// A fraction of the uint16 range: ⌊clip(v, 0, 1)·65535 + ½⌋ (halves up), 0 for NaN. Inlinable and free of
    /// branches, so that loops over images in other modules vectorise: the whole number in [0, 65535] is read from
    /// the low bits of its sum with 2⁵² instead of a range-checked conversion.
    @inlinable public static func uint16(_ v: Double) -> UInt16 {
        let fraction = v.isNaN ? 0 : min(1, max(0, v))
        return UInt16(truncatingIfNeeded: ((fraction * 65535 + 0.5).rounded(.down) + 0x1p52).bitPattern)
    }
}
