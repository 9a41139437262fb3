import Formats
import Foundation
import Serve
import Testing

/// SAXSDog's signature rule against the golden vector of live-integration.md §2 (checked there in Python).
struct SAXSDogSignatureTests {
    let golden = #"{"command":"stat","argument":{},"time":1404979588.715198}"#

    func request(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    @Test func theCanonicalTextIsPythonsSortedDump() throws {
        #expect(SAXSDogSignature.canonicalText(try request(golden))
                == #"{"argument": {}, "command": "stat", "sign": "", "time": 1404979588.715198}"#)
    }

    @Test func theGoldenSHA512SignatureMatches() throws {
        #expect(SAXSDogSignature.sign(try request(golden), secret: "s3cr3t")
                == "318057e5fd4d5ea042cc9803379d22ca9e2f04b5a12564aea73ce5359559cfac2a49285955939696d425b301819f82cdfffffad59fa72b037ad9a7490092d98b")
    }

    @Test func theGoldenHMACSHA256Matches() throws {
        let text = SAXSDogSignature.canonicalText(try request(golden))
        #expect(SAXSDogSignature.hmacSHA256(text, secret: "s3cr3t")
                == "84b7eae4ba840d8376d9030e3b0581180adebd9f5bd90c8e46f1b0230b3026e5")
    }

    @Test func aSignAlreadyPresentIsBlankedBeforeSigning() throws {
        let signed = try request(#"{"sign":"abc","command":"stat","argument":{},"time":1404979588.715198}"#)
        #expect(SAXSDogSignature.sign(signed, secret: "s3cr3t") == SAXSDogSignature.sign(try request(golden), secret: "s3cr3t"))
    }

    @Test func signaturesCompareEqualOnlyWhenIdentical() {
        #expect(SAXSDogSignature.matches("ab12", "ab12"))
        #expect(!SAXSDogSignature.matches("ab12", "ab13"))
        #expect(!SAXSDogSignature.matches("ab12", "ab12 "))
    }
}
