/// A pixel type frames are stored in.
public protocol FrameValue: BitwiseCopyable {
    var float: Float { get }
    /// A value for lanes without a frame (any value: those lanes are excluded).
    static var excluded: Self { get }
}

extension Float: FrameValue {
    @inline(__always) public var float: Float { self }
    public static var excluded: Float { .nan }
}
extension Int32: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: Int32 { -1 }
}
extension UInt32: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: UInt32 { .max }
}
extension UInt16: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: UInt16 { .max }
}
extension Int16: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: Int16 { -1 }
}
extension UInt8: FrameValue {
    @inline(__always) public var float: Float { Float(self) }
    public static var excluded: UInt8 { .max }
}
