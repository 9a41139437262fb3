import Core
import Foundation

/// `merged.csv`: one row per image (RFC 4180 through Core's CSV): the image, its mid-exposure time in ISO 8601 UTC
/// and Unix seconds, its start and exposure, then every merged column; an empty cell where there is no value.
public enum MergedCSV {
    public static let fixedColumns = ["image", "time_utc", "time_unix_s", "start_unix_s", "exposure_s"]

    /// The file's text (lines end in CRLF, as RFC 4180 says).
    public static func text(_ merge: LogMerge) -> String {
        var out = CSV.row(fixedColumns + merge.columns) + "\r\n"
        for (row, image) in merge.images.enumerated() {
            let fixed = [image.path, iso(image.time), number(image.time), number(image.start), number(image.exposure)]
            out += CSV.row(fixed + merge.values.map { number($0[row]) }) + "\r\n"
        }
        return out
    }

    /// Unix seconds as ISO 8601 UTC with milliseconds (`2014-01-31T12:26:52.123Z`).
    public static func iso(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// The shortest decimal that reads back as `v`; empty for NaN.
    static func number(_ v: Double) -> String { v.isNaN ? "" : "\(v)" }
}
