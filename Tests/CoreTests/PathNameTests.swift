import Core
import Foundation
import Testing

@Suite struct PathNameTests {
    @Test("parent agrees with Foundation's deletingLastPathComponent where that does not trap",
          arguments: ["a/b", "ab", "/ab", "/", "a/b/", "/a/b/c.tif", "./run1", "../x/yz", "a//bc", "//ab"])
    func agreesWithFoundation(_ path: String) {
        #expect(PathName.parent(path) == (path as NSString).deletingLastPathComponent)
    }

    @Test("one-character names, which trap in Foundation (swift 6.3.1)")
    func oneCharacterNames() {
        #expect(PathName.parent("o") == "")
        #expect(PathName.parent("x/") == "")
        #expect(PathName.parent("/o") == "/")
        #expect(PathName.parent("d/o") == "d")
    }
}
