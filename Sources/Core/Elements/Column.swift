/// A typed column of values: one item's values for an output, a round's values of an output packed item after
/// item, a constant dataset. The one value buffer of beamforge; numbers are float64, float32, int64, int32, uint16
/// or uint8 (outputs of other integer types are stored from int32 columns), text is a column of strings.
public enum Column: Sendable, Equatable {
    case float64([Double])
    case float32([Float])
    case int64([Int64])
    case int32([Int32])
    case uint16([UInt16])
    case uint8([UInt8])
    case strings([String])

    /// One string (an item's value of a string output).
    public static func string(_ value: String) -> Column { .strings([value]) }

    /// The element type of numbers; nil for strings.
    public var elementType: ElementType? {
        switch self {
        case .float64: .float64
        case .float32: .float32
        case .int64: .int64
        case .int32: .int32
        case .uint16: .uint16
        case .uint8: .uint8
        case .strings: nil
        }
    }

    /// The number of values.
    public var count: Int {
        switch self {
        case .float64(let v): v.count
        case .float32(let v): v.count
        case .int64(let v): v.count
        case .int32(let v): v.count
        case .uint16(let v): v.count
        case .uint8(let v): v.count
        case .strings(let v): v.count
        }
    }

    /// Appends `other`'s values in place; false (and nothing appended) when `other` holds another kind of value.
    public mutating func append(contentsOf other: Column) -> Bool {
        guard elementType == other.elementType else { return false }
        // Take the array out of `self` so that the append happens in place, not on a copy.
        let current = self
        self = .uint8([])
        self = Self.appending(other, to: current)
        return true
    }

    private static func appending(_ other: Column, to column: consuming Column) -> Column {
        switch (consume column, other) {
        case (.float64(var b), .float64(let v)): b.append(contentsOf: v); return .float64(b)
        case (.float32(var b), .float32(let v)): b.append(contentsOf: v); return .float32(b)
        case (.int64(var b), .int64(let v)): b.append(contentsOf: v); return .int64(b)
        case (.int32(var b), .int32(let v)): b.append(contentsOf: v); return .int32(b)
        case (.uint16(var b), .uint16(let v)): b.append(contentsOf: v); return .uint16(b)
        case (.uint8(var b), .uint8(let v)): b.append(contentsOf: v); return .uint8(b)
        case (.strings(var b), .strings(let v)): b.append(contentsOf: v); return .strings(b)
        case (let unchanged, _): return unchanged
        }
    }

    /// Removes every value; with `keepingCapacity`, the memory stays for the next values (a round's columns can be
    /// tens of MB, and fresh pages cost a fault each).
    public mutating func removeAll(keepingCapacity: Bool = false) {
        let current = self
        self = .uint8([])
        self = Self.emptied(current, keepingCapacity: keepingCapacity)
    }

    private static func emptied(_ column: consuming Column, keepingCapacity: Bool) -> Column {
        switch consume column {
        case .float64(var b): b.removeAll(keepingCapacity: keepingCapacity); return .float64(b)
        case .float32(var b): b.removeAll(keepingCapacity: keepingCapacity); return .float32(b)
        case .int64(var b): b.removeAll(keepingCapacity: keepingCapacity); return .int64(b)
        case .int32(var b): b.removeAll(keepingCapacity: keepingCapacity); return .int32(b)
        case .uint16(var b): b.removeAll(keepingCapacity: keepingCapacity); return .uint16(b)
        case .uint8(var b): b.removeAll(keepingCapacity: keepingCapacity); return .uint8(b)
        case .strings(var b): b.removeAll(keepingCapacity: keepingCapacity); return .strings(b)
        }
    }
}
