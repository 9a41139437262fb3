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

    @Test("an unterminated quote is an error")
    func unterminated() {
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,\"b\n") }
    }
}
