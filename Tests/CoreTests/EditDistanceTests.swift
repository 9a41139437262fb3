import Core
import Testing

@Suite struct EditDistanceTests {
    @Test func textbookDistances() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("abc", "") == 3)
        #expect(EditDistance.between("flaw", "lawn") == 2)
        #expect(EditDistance.between("same", "same") == 0)
    }

    @Test func suggestsOnlyNearNames() {
        let keys = ["n", "seed", "batch_size", "classes", "q_points", "out"]
        #expect(EditDistance.closest(to: "nn", among: keys) == "n")
        #expect(EditDistance.closest(to: "batchsize", among: keys) == "batch_size")
        #expect(EditDistance.closest(to: "clases", among: keys) == "classes")
        #expect(EditDistance.closest(to: "sed", among: keys) == "seed")
        #expect(EditDistance.closest(to: "flux", among: keys) == nil)
        #expect(EditDistance.closest(to: "x", among: keys) == nil)
    }
}
