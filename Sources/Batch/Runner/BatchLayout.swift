/// How the pending items are cut into batches: `batchSize` items each while plenty remain, then smaller and smaller
/// (guided self-scheduling: at most the remaining items / (2 × ranks)), down to one item, so that the last batches
/// handed out are short and no rank is left computing a long batch while the others wait at the end. The same
/// layout on every rank (it depends on the counts alone); the output does not depend on it.
struct BatchLayout: Sendable, Equatable {
    /// Batch i covers positions `starts[i]..<starts[i + 1]` of the pending items.
    let starts: [Int]

    init(items: Int, batchSize: Int, ranks: Int) {
        var starts = [0]
        var position = 0
        while position < items {
            let remaining = items - position
            let guided = (remaining + 2 * ranks - 1) / (2 * ranks)
            position += max(1, min(batchSize, guided))
            starts.append(position)
        }
        self.starts = starts
    }

    /// The number of batches.
    var count: Int { starts.count - 1 }

    /// The positions of batch `index`.
    func positions(_ index: Int) -> Range<Int> { starts[index]..<starts[index + 1] }
}
