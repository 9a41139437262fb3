/// The clock a log's first column counts from. Both are UTC: SAXSDog's Mac conversion used the local time zone
/// (live-integration.md §0), beamforge never does.
public enum LogEpoch: String, Sendable, CaseIterable {
    /// Seconds since 1970-01-01 00:00 UTC.
    case unix
    /// Seconds since 1904-01-01 00:00 UTC (LabVIEW, classic Mac OS, Igor).
    case mac

    /// Seconds from 1904-01-01 to 1970-01-01: 66 years with 17 leap days, 24 107 days × 86 400 s.
    public static let macToUnix = 2_082_844_800.0

    /// `t` of this epoch as Unix seconds.
    public func unixSeconds(_ t: Double) -> Double { self == .mac ? t - Self.macToUnix : t }
}
