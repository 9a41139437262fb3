/// The Philox4x32-10 counter-based random number generator (Salmon et al., "Parallel random numbers: as easy
/// as 1, 2, 3", SC'11; Random123).
///
/// A block of four 32-bit outputs is a pure function of a 128-bit counter and a 64-bit key, so any item's
/// numbers can be produced on any rank, in any order, without carrying state between items.
public enum Philox4x32 {
    /// A 128-bit counter, or a block of four outputs, as four 32-bit words.
    public typealias Counter = (UInt32, UInt32, UInt32, UInt32)
    /// A 64-bit key as two 32-bit words (``RandomStream`` puts the seed's low word first).
    public typealias Key = (UInt32, UInt32)

    /// Ten rounds of Philox4x32 on `counter` with `key`.
    @inlinable
    public static func block(counter: Counter, key: Key) -> Counter {
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.0 &+= 0x9E37_79B9
                k.1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            c = (hi1 ^ c.1 ^ k.0, lo1, hi0 ^ c.3 ^ k.1, lo0)
        }
        return c
    }
}
