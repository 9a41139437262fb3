import Core
import Testing

@Suite struct CSVTests {
    @Test("fields with commas, quotes, line breaks or edge spaces are quoted (RFC 4180)")
    func quoting() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field(" padded") == "\" padded\"")
        #expect(CSV.row(["1", "{\"model\":\"sphere\",\"radius\":5}", ""]) == "1,\"{\"\"model\"\":\"\"sphere\"\",\"\"radius\"\":5}\",")
    }

    @Test("parsing inverts encoding")
    func roundTrip() throws {
        let rows = [["uid", "params", "note"], ["a", "{\"x\":1,\"y\":[2,3]}", "line\nbreak"], ["", " s ", "\"q\""]]
        let text = rows.map(CSV.row).joined(separator: "\n") + "\n"
        #expect(try CSV.parse(text) == rows)
    }

    @Test("text a spreadsheet would run as a formula is quoted with a leading apostrophe; numbers stay as they are")
    func formulaCells() {
        #expect(CSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.field("+cmd") == "\"'+cmd\"")
        #expect(CSV.field("-2+3") == "\"'-2+3\"")
        #expect(CSV.field("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(CSV.field("\tx") == "\"'\tx\"")
        #expect(CSV.field("\rx") == "\"'\rx\"")
        #expect(CSV.field("'=x") == "\"''=x\"")
        #expect(CSV.field("''") == "\"'''\"")
        for number in ["-1.5", "-3e-4", "+2", "-0", "-inf"] { #expect(CSV.field(number) == number) }
        for text in ["'quoted", "a=b", "", "'"] { #expect(CSV.field(text) == text) }
    }

    @Test("parsing restores escaped formula cells")
    func formulaRoundTrip() throws {
        let rows = [["=1+1", "-1.5", "-x", "@a", "'=b", "''", "'plain", "\tt", "+", "-"]]
        let text = rows.map(CSV.row).joined(separator: "\n") + "\n"
        #expect(try CSV.parse(text) == rows)
    }

    @Test("a quote, comma, space or formula sign followed by a combining mark is escaped per scalar (fuzz finding)")
    func combiningMarks() throws {
        // U+0301 and U+035C combine with the scalar before them: `"` + U+0301 is one Swift Character but still the
        // `"` a CSV parser (and a spreadsheet) sees, so quoting must look at Unicode scalars.
        #expect(CSV.field("a\"\u{301}b") == "\"a\"\"\u{301}b\"")
        #expect(CSV.field("x,\u{35C}y") == "\"x,\u{35C}y\"")
        #expect(CSV.field("=\u{301}1") == "\"'=\u{301}1\"")
        #expect(CSV.field("'=\u{301}") == "\"''=\u{301}\"")
        #expect(CSV.field(" \u{301}x") == "\" \u{301}x\"")
        let rows = [["a\"\u{301}b", "x,\u{35C}y", "=\u{301}1", "end \u{35C}", "\"\u{301}"], ["'\u{301}", "'=\u{301}", "\n\u{301}", "2", "3"]]
        let text = rows.map(CSV.row).joined(separator: "\n") + "\n"
        #expect(try CSV.parse(text) == rows)
        // Equal scalar for scalar, not only canonically equivalent.
        #expect(try CSV.parse(text).map { $0.map { Array($0.unicodeScalars) } } == rows.map { $0.map { Array($0.unicodeScalars) } })
    }

    @Test("the fuzzing finding Fuzz/Corpus/csv/finding-quote-combining-mark.csv survives writing and parsing")
    func fuzzFinding() throws {
        // The finding's bytes: a quoted field holding an escaped quote followed by U+0301, then a second field.
        let text = "\"a\"\"\u{301}b\",x\n"
        let rows = try CSV.parse(text)
        #expect(rows == [["a\"\u{301}b", "x"]])
        #expect(try CSV.parse(CSV.row(rows[0])) == rows)
    }

    @Test("an unterminated quote is an error")
    func unterminated() {
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,\"b\n") }
    }
}
