@testable import Batch
import Testing

@Suite struct BatchLayoutTests {
    @Test("batches cover every item once, full-size while plenty remain, then shrink to single items",
          arguments: [(1, 1, 1), (100, 16, 1), (9000, 16, 16), (37656, 16, 256), (5, 64, 4), (0, 16, 3)])
    func guided(items: Int, batchSize: Int, ranks: Int) {
        let layout = BatchLayout(items: items, batchSize: batchSize, ranks: ranks)
        #expect(layout.starts.first == 0 && layout.starts.last == items)
        let sizes = (0..<layout.count).map { layout.positions($0).count }
        #expect(sizes.allSatisfy { 1...batchSize ~= $0 })
        // Sizes never grow, and the tail is at most remaining / (2 ranks), rounded up.
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 })
        for i in 0..<layout.count {
            let remaining = items - layout.starts[i]
            #expect(sizes[i] <= max(1, (remaining + 2 * ranks - 1) / (2 * ranks)))
        }
        if items > 0 { #expect(sizes.last == 1 || sizes.count == 1) }
    }
}
