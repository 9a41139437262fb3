/// A Swift number type with an ``ElementType``: what typed reads, writes and summaries are generic over.
public protocol NumericElement: BitwiseCopyable, Sendable {
    /// The matching element type.
    static var elementType: ElementType { get }
    /// The value as a double (exact for every type but 64-bit integers beyond 2⁵³).
    var doubleValue: Double { get }
}

extension Double: NumericElement {
    public static var elementType: ElementType { .float64 }
    @inline(__always) public var doubleValue: Double { self }
}
extension Float: NumericElement {
    public static var elementType: ElementType { .float32 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension Int8: NumericElement {
    public static var elementType: ElementType { .int8 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension Int16: NumericElement {
    public static var elementType: ElementType { .int16 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension Int32: NumericElement {
    public static var elementType: ElementType { .int32 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension Int64: NumericElement {
    public static var elementType: ElementType { .int64 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension UInt8: NumericElement {
    public static var elementType: ElementType { .uint8 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension UInt16: NumericElement {
    public static var elementType: ElementType { .uint16 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension UInt32: NumericElement {
    public static var elementType: ElementType { .uint32 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
extension UInt64: NumericElement {
    public static var elementType: ElementType { .uint64 }
    @inline(__always) public var doubleValue: Double { Double(self) }
}
