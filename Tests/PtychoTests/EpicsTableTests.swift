import Core
import Foundation
import Testing
@testable import Ptycho

/// The EPICS CSV of a TIFF series: rows keyed by frame_index, checked unique, every column present.
@Suite struct EpicsTableTests {
    /// The table of `text`, written to a file of its own.
    func table(_ text: String) throws(ConfigError) -> EpicsTable {
        let path = NSTemporaryDirectory() + "/epics-\(UUID().uuidString).csv"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try EpicsTable(path: path)
    }

    func message(_ text: String) -> String {
        do { _ = try table(text); return "" } catch { return "\(error)" }
    }

    static let header = "frame_index,posx_m,posy_m,energy_eV,det_dist_m,pixel_m,exposure_s\n"

    @Test func rowsInAnyOrderAreKeyedByFrameIndex() throws {
        let t = try table(Self.header + "7,1e-6,2e-6,7000,2.5,7.5e-05,0.1\n3,-1e-6,0,7000,2.5,7.5e-05,0.2\n")
        #expect(t.rows.keys.sorted() == [3, 7])
        #expect(t.rows[7]?["posy_m"] == 2e-6)
        #expect(t.rows[3]?["exposure_s"] == 0.2)
    }

    @Test func aByteOrderMarkIsNotPartOfTheFirstColumnName() throws {
        #expect(try table("\u{FEFF}" + Self.header + "4,0,0,7000,2.5,7.5e-05,0.1\n").rows.keys.sorted() == [4])
    }

    @Test func extraColumnsAndColumnOrderDoNotMatter() throws {
        let t = try table("note,exposure_s,pixel_m,det_dist_m,energy_eV,posy_m,posx_m,frame_index\n"
                          + "a,0.1,7.5e-05,2.5,7000,2,1,0\n")
        #expect(t.rows[0]?["posx_m"] == 1 && t.rows[0]?["posy_m"] == 2)
    }

    @Test func badTablesAreRefusedNamingTheCulprit() {
        #expect(message(Self.header + "1,0,0,7000,2.5,7.5e-05,0.1\n1,0,0,7000,2.5,7.5e-05,0.1\n")
            .contains("frame_index 1 appears more than once"))
        #expect(message("frame_index,posx_m,posy_m,energy_eV,det_dist_m,exposure_s\n1,0,0,7000,2.5,0.1\n")
            .contains("lacks the column(s) pixel_m"))
        #expect(message(Self.header + "1,0,zero,7000,2.5,7.5e-05,0.1\n").contains("line 2: posy_m 'zero' is not a number"))
        #expect(message(Self.header + "x,0,0,7000,2.5,7.5e-05,0.1\n").contains("frame_index 'x'"))
        #expect(message(Self.header + "1,0,0,7000\n").contains("line 2: 4 fields for 7 columns"))
        #expect(message(Self.header).contains("has no rows"))
    }
}
