/// Volumes in Å³.
enum Volume {
    static func sphere(radius r: Double) -> Double { 4.0 / 3.0 * Double.pi * r * r * r }
    static func cylinder(radius r: Double, length l: Double) -> Double { Double.pi * r * r * l }
    static func spheroid(polar rp: Double, equatorial re: Double) -> Double { 4.0 / 3.0 * Double.pi * rp * re * re }
}
