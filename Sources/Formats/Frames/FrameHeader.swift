import Foundation

/// What a detector wrote about a frame beside its pixels, for `meta.csv`: Pilatus TIFFs carry it as `# Key value
/// unit` and `# Key: value` lines in ImageDescription and the acquisition time in DateTime
/// (docs/reference/live-integration.md §1, C24).
public struct FrameHeader: Equatable, Sendable {
    /// Seconds (`# Exposure_time 10.0000000 s`).
    public var exposureTime: Double?
    /// The folder the detector wrote the frame to (`# Image_path: /home/det/images/…/`).
    public var imagePath: String?
    /// When the frame was taken, ISO 8601 without a time zone: the detector computer's clock
    /// (DateTime `2014:01:31 12:26:52`, or a `# 2014-01-31T12:26:52.123` line of newer Pilatus headers).
    public var acquired: String?

    /// No header.
    public init() {}

    /// Parses a Pilatus ImageDescription and a TIFF DateTime (either may be absent; lines not understood are
    /// skipped: a header is information, never a reason to refuse a frame).
    public init(pilatusDescription description: String?, dateTime: String?) {
        for rawLine in (description ?? "").split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("#") else { continue }
            let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
            if body.hasPrefix("Exposure_time") {
                // `Exposure_time <value> <unit>`; Pilatus writes seconds, a unit of ms is converted.
                let words = body.split(separator: " ")
                if words.count >= 2, let value = Double(words[1]) {
                    exposureTime = words.count >= 3 && words[2] == "ms" ? value / 1000 : value
                }
            } else if body.hasPrefix("Image_path:") {
                imagePath = body.dropFirst("Image_path:".count).trimmingCharacters(in: .whitespaces)
            } else if acquired == nil, let match = body.wholeMatch(of: /(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?/) {
                acquired = "\(match.1)-\(match.2)-\(match.3)T\(match.4):\(match.5):\(match.6)\(match.7 ?? "")"
            }
        }
        // The TIFF 6.0 DateTime form, "YYYY:MM:DD HH:MM:SS".
        if let dateTime, let match = dateTime.trimmingCharacters(in: .whitespaces)
            .wholeMatch(of: /(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/) {
            acquired = "\(match.1)-\(match.2)-\(match.3)T\(match.4):\(match.5):\(match.6)"
        }
    }
}
