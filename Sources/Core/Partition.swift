/// Splitting an index space into contiguous blocks, one per rank.
public enum Partition {
    /// The block of `count` items owned by `part` out of `parts`: the first `count % parts` blocks hold one
    /// item more. A part may be empty when there are more parts than items.
    ///
    /// Contiguous blocks make every rank's rows one byte range of the output file, the fastest collective
    /// write pattern of parallel HDF5.
    public static func block(count: Int, parts: Int, part: Int) -> Range<Int> {
        precondition(count >= 0 && parts > 0 && (0..<parts).contains(part), "invalid partition request")
        let base = count / parts
        let extra = count % parts
        let start = part * base + min(part, extra)
        return start..<start + base + (part < extra ? 1 : 0)
    }

    /// Groups sorted indices into maximal runs of consecutive values, e.g. [1, 2, 3, 7, 8] → [1..<4, 7..<9].
    public static func runs<C: Collection>(of sortedIndices: C) -> [Range<Int>] where C.Element == Int {
        var result: [Range<Int>] = []
        var start: Int? = nil
        var previous = 0
        for index in sortedIndices {
            if start != nil, index == previous + 1 {
                previous = index
                continue
            }
            if let s = start { result.append(s..<previous + 1) }
            start = index
            previous = index
        }
        if let s = start { result.append(s..<previous + 1) }
        return result
    }
}
