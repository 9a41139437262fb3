import Core
import Foundation
import Testing
@testable import Formats

@Suite struct ChiCurveTests {
    @Test("SAXSDog's own .chi (as ChiFile writes it, rows after a space, ending in '\\n ') reads back exactly")
    func saxsdogLayout() throws {
        let q = [0.1, 0.2, 0.30000000000000004], i = [5.5, -1e-300, .infinity], e = [0.25, 1e300, 0]
        let header = ChiFile.header(calibrationJSON: "{\"Wavelength\": 1.54}", integrals: (i0: 1, i1: 2, i2: 3),
                                    labels: ChiFile.radialLabels, rows: 3)
        let text = ChiFile.text(header: header, columns: [q, i, e])
        let curve = try ChiCurve(data: Data(text.utf8))
        #expect(curve == ChiCurve(x: q, intensity: i, error: e))
    }

    @Test("Fit2D's layout: CRLF, an empty third header line, two columns")
    func fit2DLayout() throws {
        let text = "sample.tif\r\n2-Theta Angle (Degrees)\r\n\r\n        3\r\n  1.0000E-01  2.5000E+02\r\n"
            + "  2.0000E-01  1.2500E+02\r\n  3.0000E-01  nan\r\n"
        let curve = try ChiCurve(data: Data(text.utf8))
        #expect(curve.x == [0.1, 0.2, 0.3])
        #expect(Array(curve.intensity.prefix(2)) == [250, 125])
        #expect(curve.intensity[2].isNaN)
        #expect(curve.error == nil)
    }

    @Test("old SAXSDog files: four header lines whatever they hold, '#' comments and blank lines ignored")
    func oldLayout() throws {
        let text = "# calibration\n# integrals\nq I err\n3\n1 2 3 # first\n\n4 5 6\n"
        #expect(try ChiCurve(data: Data(text.utf8)) == ChiCurve(x: [1, 4], intensity: [2, 5], error: [3, 6]))
    }

    @Test("bad files name the line at fault", arguments: [
        ("a\nb\nc\nd\n1 2 3 4\n", "line 5 has 4 columns, not 2 or 3"),
        ("a\nb\nc\nd\n1\n", "line 5 has 1 column, not 2 or 3"),
        ("a\nb\nc\nd\n1 2 3\n4 5\n", "line 6 has 2 columns where the first data line has 3"),
        ("a\nb\nc\nd\n1 2\n3 x\n", "line 6: 'x' is not a number"),
        ("a\nb\nc\nd\n1 0x10\n", "line 5: '0x10' is not a number"),
        ("a\nb\nc\nd\n \n", "no data lines after the 4 header lines"),
        ("1 2\n3 4\n", "no data lines after the 4 header lines"),
    ])
    func badFiles(text: String, message: String) {
        let error = #expect(throws: FormatError.self) { try ChiCurve(data: Data(text.utf8), file: "f.chi") }
        #expect(error?.message == message)
        #expect(error?.file == "f.chi")
    }
}
