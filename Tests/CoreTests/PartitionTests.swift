import Core
import Testing

@Suite struct PartitionTests {
    @Test("blocks cover the index space in order, sizes differ by at most one",
          arguments: [(0, 1), (1, 3), (7, 3), (10, 2), (37656, 7), (5, 8)])
    func blocksCoverEverything(count: Int, parts: Int) {
        var next = 0
        var sizes: [Int] = []
        for part in 0..<parts {
            let block = Partition.block(count: count, parts: parts, part: part)
            #expect(block.lowerBound == next)
            next = block.upperBound
            sizes.append(block.count)
        }
        #expect(next == count)
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
    }

    @Test("more parts than items leaves the last parts empty")
    func emptyParts() {
        #expect(Partition.block(count: 2, parts: 4, part: 3).isEmpty)
        #expect(Partition.block(count: 2, parts: 4, part: 1) == 1..<2)
    }

    @Test("sorted indices group into maximal runs")
    func runs() {
        #expect(Partition.runs(of: [1, 2, 3, 7, 8, 10]) == [1..<4, 7..<9, 10..<11])
        #expect(Partition.runs(of: [Int]()) == [])
        #expect(Partition.runs(of: 5..<9) == [5..<9])
    }
}
