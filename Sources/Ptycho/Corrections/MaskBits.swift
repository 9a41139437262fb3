/// The CXI 1.6 pixel-mask bits the output uses (CXI format 1.6, `detector_1/mask`: 0 = good pixel).
public enum MaskBits {
    /// Invalid: non-zero in the static mask given.
    public static let invalid: Int32 = 0x1
    /// Saturated: raw counts at or above the saturation level (per position, in `mask_valid`).
    public static let saturated: Int32 = 0x2
    /// Hot: the mean dark far above the median dark.
    public static let hot: Int32 = 0x4
    /// Dead: the dark-subtracted flat far below its median.
    public static let dead: Int32 = 0x8
    /// Missing: outside the detector (ROI padding).
    public static let missing: Int32 = 0x200
}
