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

    @Test("an unterminated quote is an error")
    func unterminated() {
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,\"b\n") }
    }
}
