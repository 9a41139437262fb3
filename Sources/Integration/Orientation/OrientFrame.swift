import Core
import Foundation
import Formats

/// What `orient` knows about one frame beside its pixels: its title, sample, field and time, from the header
/// of its file (ID02 HDF5, EDF) or its name.
public struct OrientFrame: Sendable, Equatable {
    /// The header's `Title` (EDF: `Title`, else `Comment`), or the frame's name when there is none.
    public var title: String
    /// The title before `_<B>mT|T`; the whole title when the field is not taken from it.
    public var sample: String
    /// mT; NaN without a field.
    public var fieldMilliTesla: Double
    /// Seconds since 1970-01-01T00:00:00Z (ID02 `end_time`, EDF `Date` and TIFF DateTime read as UTC); NaN
    /// when the file does not say.
    public var timeSeconds: Double

    /// The frame's field from its title by `source`.
    /// - Throws: ``FormatError`` naming the file and the title when the title holds no field.
    init(title: String, time: String?, field source: FieldSource, file: String) throws(FormatError) {
        self.title = title
        timeSeconds = time.flatMap(Self.epochSeconds) ?? .nan
        switch source {
        case .none:
            sample = title
            fieldMilliTesla = .nan
        case .title:
            guard let parsed = FieldSource.field(inTitle: title) else {
                throw FormatError(file: file, message: "no magnetic field in the title '\(title)' (expected "
                                  + "<number>mT or <number>T, e.g. sample_300mT; --field-from none for a time series)")
            }
            (fieldMilliTesla, sample) = (parsed.milliTesla, parsed.sample)
        }
    }

    /// Seconds since the epoch of an ISO 8601 time `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`, UTC when it names no zone.
    static func epochSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let m = trimmed.wholeMatch(of: /(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|([+-])(\d\d):?(\d\d))?/)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = DateComponents(year: Int(m.1), month: Int(m.2), day: Int(m.3), hour: Int(m.4), minute: Int(m.5),
                                   second: Int(m.6))
        guard let date = calendar.date(from: parts) else { return nil }
        var seconds = date.timeIntervalSince1970 + (m.7.flatMap { Double("0" + $0) } ?? 0)
        if let sign = m.9, let hours = m.10.flatMap({ Double($0) }), let minutes = m.11.flatMap({ Double($0) }) {
            seconds -= (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        return seconds
    }
}

/// The header values of every frame file `orient` reads, by file.
struct OrientHeaders {
    /// Per file: header values (nil for files without one, such as TIFF), per frame for EDF blocks.
    let values: [[[String: String]]?]
    /// Per file: ID02's `end_time`.
    let endTimes: [String?]
    /// Per file without a header: why (for the message when the geometry must come from it).
    let missing: [String?]

    init(_ inputs: FrameInputs) throws(FormatError) {
        var values: [[[String: String]]?] = [], endTimes: [String?] = [], missing: [String?] = []
        for file in inputs.files {
            if let edf = file as? EDFFrames {
                values.append(edf.image.blocks.map(\.header.values))
                endTimes.append(nil)
            } else if let stack = file as? FrameStack {
                do {
                    let header = try ID02Header(path: stack.path, dataset: stack.dataset)
                    values.append([header.values])
                    endTimes.append(header.endTime)
                    missing.append(nil)
                    continue
                } catch {
                    values.append(nil)
                    endTimes.append(nil)
                    missing.append(error.message)
                    continue
                }
            } else {
                values.append(nil)
                endTimes.append(nil)
            }
            missing.append(values.last! == nil ? "a \(type(of: file)) file has no geometry header" : nil)
        }
        self.values = values
        self.endTimes = endTimes
        self.missing = missing
    }

    /// The header of frame `index` of file `file` (an HDF5 file's one header serves all its frames).
    func header(file: Int, index: Int) -> [String: String]? {
        guard let all = values[file] else { return nil }
        return all.count == 1 ? all[0] : all[index]
    }
}
