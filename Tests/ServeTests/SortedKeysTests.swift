import Formats
import Serve
import Testing

/// `json.dumps(json.loads(text), sort_keys=True)` in Python 3.11, for the texts below (expected values from Python).
struct SortedKeysTests {
    @Test(arguments: [
        (#"{"b": 1, "a": [3, {"d": 1.0, "c": "x"}]}"#, #"{"a": [3, {"c": "x", "d": 1.0}], "b": 1}"#),
        // Code-point order: upper case before lower case, "Z" (0x5A) before "_" (0x5F) before "a".
        (#"{"a": 1, "_": 2, "Z": 3, "B": 4}"#, #"{"B": 4, "Z": 3, "_": 2, "a": 1}"#),
        // ensure_ascii: é, a control character, DEL and an astral character as UTF-16 escapes, lower-case hex.
        ("{\"k\": \"\u{e9}\\u0001\u{7f}\u{1F600}\"}", #"{"k": "\u00e9\u0001\u007f\ud83d\ude00"}"#),
        // Floats as repr: 1e22, 1e-05, 0.1, -0.0; integers as written; 1E2 is a float.
        (#"{"x": [1e22, 0.00001, 0.1, -0.0, 12, 1E2, 1404979588.715198]}"#,
         #"{"x": [1e+22, 1e-05, 0.1, -0.0, 12, 100.0, 1404979588.715198]}"#),
        // A key given twice keeps its last value.
        (#"{"a": 1, "a": 2}"#, #"{"a": 2}"#),
        (#"{"Masks": [{"qStop": 5.0, "MaskFile": "m.msk"}], "Geometry": {"Tilt": {"TiltRotDeg": 73.569}}}"#,
         #"{"Geometry": {"Tilt": {"TiltRotDeg": 73.569}}, "Masks": [{"MaskFile": "m.msk", "qStop": 5.0}]}"#),
    ])
    func sortedDumpsEqualPythons(_ input: String, _ expected: String) throws {
        #expect(try JSONValue(parsing: input).pythonSortedDumps == expected)
    }
}
