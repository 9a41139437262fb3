import Core

extension TomoScan {
    /// The first frame (index in the file) whose every pixel is NaN — a failed readout that would turn its
    /// projection's or its flat's whole angle into NaN — or nil. Integer frames cannot hold NaN; float frames are
    /// screened by their middle row (one row of every frame, cheap), and a frame whose middle row is all NaN is read
    /// whole to confirm.
    public func firstAllNaNFrame() throws(FormatError) -> Int? {
        guard elementType.hasPrefix("float"), rows > 0, columns > 0 else { return nil }
        let frames = Array(0..<shape[0])
        var row = [Float](repeating: 0, count: frames.count * columns)
        var span = row.mutableSpan
        try read(frames: frames, rows: rows / 2..<rows / 2 + 1, into: &span)
        for (k, frame) in frames.enumerated() where row[k * columns..<(k + 1) * columns].allSatisfy(\.isNaN) {
            var whole = [Float](repeating: 0, count: rows * columns)
            var wholeSpan = whole.mutableSpan
            try read(frames: [frame], rows: 0..<rows, into: &wholeSpan)
            if whole.allSatisfy(\.isNaN) { return frame }
        }
        return nil
    }
}
