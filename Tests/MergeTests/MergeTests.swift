import Foundation
import Testing
@testable import Merge

@Suite struct MergeTests {
    @Test("Mac epoch: 1904-01-01 is 2 082 844 800 s before 1970-01-01, in UTC")
    func macEpoch() {
        #expect(LogEpoch.mac.unixSeconds(2_082_844_800) == 0)
        // 2014-01-31T12:26:52Z (Unix 1391171212) on the Mac clock.
        #expect(LogEpoch.mac.unixSeconds(1_391_171_212 + 2_082_844_800) == 1_391_171_212)
        #expect(LogEpoch.unix.unixSeconds(5) == 5)
    }

    @Test("as-of: the last entry at or before a time, none before the first")
    func asOf() {
        let t = [10.0, 20, 30]
        #expect(AsOfJoin.index(t, atOrBefore: 5) == nil)
        #expect(AsOfJoin.index(t, atOrBefore: 10) == 0)
        #expect(AsOfJoin.index(t, atOrBefore: 29.9) == 1)
        #expect(AsOfJoin.index(t, atOrBefore: 1e9) == 2)
    }

    @Test("time-weighted mean of the forward-filled values over an exposure")
    func timeWeightedMean() {
        let t = [0.0, 10, 20], v = [1.0, 3, 5]
        // [5, 15]: 5 s of 1 and 5 s of 3.
        #expect(AsOfJoin.timeWeightedMean(t, v, from: 5, to: 15) == 2)
        // [15, 30]: 5 s of 3, 10 s of 5 (the last value holds on).
        #expect(abs(AsOfJoin.timeWeightedMean(t, v, from: 15, to: 30) - 65.0 / 15) < 1e-15)
        #expect(AsOfJoin.timeWeightedMean(t, v, from: 12, to: 12) == 3)
        #expect(AsOfJoin.timeWeightedMean(t, v, from: -1, to: 5).isNaN)
    }

    @Test("images stand for their mid-exposure; header dates are UTC")
    func images() {
        let image = ImageRecord(path: "a.tif", start: 100, exposure: 10)
        #expect(image.time == 105 && image.end == 110)
        #expect(ImageRecord.unixSeconds("2014-01-31T12:26:52") == 1_391_171_212)
        #expect(ImageRecord.unixSeconds("2014-01-31T12:26:52.25") == 1_391_171_212.25)
        #expect(MergedCSV.iso(1_391_171_212.5) == "2014-01-31T12:26:52.500Z")
    }

    @Test("first-image synchronisation moves every log so that the table's first entry is the first image's start")
    func firstImage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "t\tx\n1000\t1\n1010\t2\n1020\t3\n".write(toFile: directory + "/p.tsv", atomically: true, encoding: .utf8)
        let table = try LogTable(name: "Peak", files: [directory + "/p.tsv"], epoch: .unix, offset: 0)
        let images = [ImageRecord(path: "a", start: 500, exposure: 2), ImageRecord(path: "b", start: 511, exposure: 2)]
        let merge = try LogMerge(images: images, tables: [table], sync: .firstImage(table: "Peak"), average: [], averageFrom: 5)
        #expect(merge.delta == -500)
        #expect(merge.columns == ["x (Peak)"])
        #expect(merge.values[0] == [1, 2])
    }
}
