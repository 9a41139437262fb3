/// A colour map: a value in [0, 1] to a colour, from a table of 256 colours (linear interpolation between them).
public struct ColorMap: Sendable {
    public let name: String
    /// The table, 0xRRGGBB.
    public let table: [UInt32]

    /// A map from a table given as hex RRGGBB digits (whitespace ignored).
    init(name: String, hexTable: String) {
        let digits = Array(hexTable.utf8.filter { !($0 == 32 || $0 == 10) })
        precondition(digits.count % 6 == 0, "colour table \(name) is not RRGGBB hex")
        self.name = name
        table = stride(from: 0, to: digits.count, by: 6).map { UInt32(String(decoding: digits[$0..<$0 + 6], as: UTF8.self), radix: 16)! }
    }

    /// Black to white.
    public static let gray = ColorMap(name: "gray", table: (0..<256).map { UInt32($0) * 0x010101 })

    init(name: String, table: [UInt32]) {
        self.name = name
        self.table = table
    }

    /// Every map by name.
    public static let all: [ColorMap] = [.viridis, .magma, .cividis, .gray]

    /// The map called `name` (`viridis`, `magma`, `cividis`, `gray`), or nil.
    public static func named(_ name: String) -> ColorMap? { all.first { $0.name == name } }

    /// The colour at `t`, clamped to [0, 1].
    public func color(at t: Double) -> Color {
        let x = min(max(t.isNaN ? 0 : t, 0), 1) * Double(table.count - 1)
        let i = min(Int(x), table.count - 2)
        let f = x - Double(i)
        let a = Color(rgb: table[i]), b = Color(rgb: table[i + 1])
        return Color(red: a.red + f * (b.red - a.red), green: a.green + f * (b.green - a.green),
                     blue: a.blue + f * (b.blue - a.blue))
    }

    /// The opaque 0xFFRRGGBB pixel nearest to `t` in [0, 1] (rasters: one table look-up per pixel).
    @inlinable
    public func pixel(at t: Double) -> UInt32 {
        let index = Int((min(max(t, 0), 1) * Double(table.count - 1)).rounded())
        return 0xFF00_0000 | table[index]
    }
}
