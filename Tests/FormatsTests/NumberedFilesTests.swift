import Core
import Foundation
import Testing
@testable import Formats

/// A numbered series found by a shell pattern: frame numbers from the names, ordered by number.
@Suite struct NumberedFilesTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("numbered-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["scan001_10.tif", "scan001_9.tif", "scan001_100.tif", "scan001_2.tif", "other_1.tif"] {
            try Data().write(to: URL(fileURLWithPath: directory + "/" + name))
        }
    }

    @Test func theFrameNumberIsTheLastRunOfDigits() {
        #expect(NumberedFiles.lastNumber(in: "scan001_17") == 17)
        #expect(NumberedFiles.lastNumber(in: "scan001_00017") == 17)
        #expect(NumberedFiles.lastNumber(in: "17") == 17)
        #expect(NumberedFiles.lastNumber(in: "scan_17_b") == 17)
        #expect(NumberedFiles.lastNumber(in: "scan") == nil)
    }

    /// glob(3) sorts bytewise (_10, _100, _2, _9); the series is ordered by number.
    @Test func filesAreOrderedByNumberNotByName() throws {
        let series = try NumberedFiles(pattern: directory + "/scan001_*.tif")
        #expect(series.files.map(\.number) == [2, 9, 10, 100])
        #expect(series.files.map { ($0.path as NSString).lastPathComponent }
                == ["scan001_2.tif", "scan001_9.tif", "scan001_10.tif", "scan001_100.tif"])
    }

    @Test func aPatternMatchingNothingIsRefused() {
        #expect(throws: FormatError.self) { try NumberedFiles(pattern: directory + "/nothing_*.tif") }
    }

    @Test func twoFilesWithOneNumberAreRefused() throws {
        try Data().write(to: URL(fileURLWithPath: directory + "/scan001_09.tif"))
        do {
            _ = try NumberedFiles(pattern: directory + "/scan001_*.tif")
            Issue.record("scan001_9 and scan001_09 were both accepted")
        } catch {
            #expect("\(error)".contains("frame number 9 again"))
        }
    }
}
