import Core

/// Stored integer pixels (a mapped frame of a ``FrameFile``) to float32 in one plain loop the compiler vectorises:
/// the conversion HDF5 would do (`H5T__conv_ushort_float`), without its type-conversion buffers. Only types every value of which a float32
/// holds exactly (8- and 16-bit integers), so the result is the same bits as HDF5's.
public enum RawFrameConversion {
    /// Whether `type`'s values convert exactly.
    public static func handles(_ type: ElementType) -> Bool {
        switch type {
        case .uint16, .int16, .uint8: true
        default: false
        }
    }

    /// Converts `target.count` values of `type` (one of ``handles(_:)``'s) at `source` into `target`.
    public static func convert(_ source: UnsafeRawPointer, type: ElementType, into target: UnsafeMutableBufferPointer<Float>) {
        // One loop per type, not a generic one: each is a plain widening loop that the compiler vectorises.
        let n = target.count
        switch type {
        case .uint16:
            let values = source.assumingMemoryBound(to: UInt16.self)
            for i in 0..<n { target[i] = Float(values[i]) }
        case .int16:
            let values = source.assumingMemoryBound(to: Int16.self)
            for i in 0..<n { target[i] = Float(values[i]) }
        default:
            let values = source.assumingMemoryBound(to: UInt8.self)
            for i in 0..<n { target[i] = Float(values[i]) }
        }
    }
}
