import Core
import Formats
import Testing

@Suite struct JSONValueTests {
    @Test func pythonFloatReprMatchesPython() {
        // Values and the text Python 3's repr gives them.
        let cases: [(Double, String)] = [
            (1.0, "1.0"), (0.0, "0.0"), (-0.0, "-0.0"), (1031.657, "1031.657"), (-0.56, "-0.56"), (1e-05, "1e-05"),
            (0.0001, "0.0001"), (1e16, "1e+16"), (1e15, "1000000000000000.0"), (123456789012345680, "1.2345678901234568e+17"),
            (0.1 + 0.2, "0.30000000000000004"), (.leastNonzeroMagnitude, "5e-324"), (1.5e-7, "1.5e-07"), (2.5e300, "2.5e+300"),
            (.nan, "NaN"), (-.infinity, "-Infinity"), (73.569, "73.569"), (808.37, "808.37"),
        ]
        for (value, expected) in cases { #expect(JSONValue.pythonFloatRepr(value) == expected, "\(value)") }
    }

    @Test func dumpsKeepsOrderAndPythonSpelling() throws {
        let text = #"{"b": [1, 2.0, 3e2, -0], "a": {"x": "é\"\n", "y": null, "z": true}, "c": 1031.657}"#
        let value = try JSONValue(parsing: text)
        #expect(value.pythonDumps == #"{"b": [1, 2.0, 300.0, 0], "a": {"x": "\u00e9\"\n", "y": null, "z": true}, "c": 1031.657}"#)
    }

    @Test func indentedDumpsIsPythonsIndentFour() throws {
        // Python: json.dumps(json.loads(text), indent=4, separators=(",", ": "))
        let value = try JSONValue(parsing: #"{"a": [1, {"b": []}], "c": {}, "d": "x"}"#)
        #expect(value.pythonDumps(indent: 4) == """
            {
                "a": [
                    1,
                    {
                        "b": []
                    }
                ],
                "c": {},
                "d": "x"
            }
            """)
    }

    @Test func parseErrorsNameLineAndColumn() {
        #expect(throws: FormatError.self) { try JSONValue(parsing: "{\n  \"a\": 1,\n}", file: "cal.json") }
        do { _ = try JSONValue(parsing: "{\n  \"a\": 1,\n}", file: "cal.json") } catch {
            #expect(error.description.hasPrefix("cal.json: invalid JSON at line 3, column 1"))
        }
    }
}
