import Core
import Foundation
import POSIX

/// Files of a numbered series (`scan001_7.tif`, `scan001_12.tif`) matched by a shell pattern, each with its number:
/// the last run of digits in its name. Sorted naturally (by number), never lexicographically (`_10` before `_9`).
public struct NumberedFiles: Sendable {
    /// The files and their numbers, by number.
    public let files: [(path: String, number: Int)]

    /// Expands `pattern` (`*`, `?`, `[…]`).
    /// - Throws: ``FormatError`` when nothing matches, a name holds no number, or two names the same number.
    public init(pattern: String) throws(FormatError) {
        let paths = FileSystem.glob(pattern)
        guard !paths.isEmpty else { throw FormatError(file: pattern, message: "no file matches the pattern") }
        var numbered: [(String, Int)] = []
        var seen: [Int: String] = [:]
        for path in paths {
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let number = Self.lastNumber(in: name) else {
                throw FormatError(file: path, message: "the name holds no frame number")
            }
            if let other = seen[number] {
                throw FormatError(file: path, message: "frame number \(number) again (also \(other))")
            }
            seen[number] = path
            numbered.append((path, number))
        }
        files = numbered.sorted { $0.1 < $1.1 }
    }

    /// The value of the last run of decimal digits in `name`, if any.
    static func lastNumber(in name: String) -> Int? {
        var digits = ""
        for ch in name.reversed() {
            if ch.isASCII && ch.isNumber { digits.insert(ch, at: digits.startIndex) } else if !digits.isEmpty { break }
        }
        return digits.isEmpty ? nil : Int(digits)
    }
}
