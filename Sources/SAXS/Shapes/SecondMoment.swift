/// ∫ r² dV over a body, per unit volume: the Rg² of a homogeneous sphere, cylinder and spheroid.
enum SecondMoment {
    static func sphere(radius r: Double) -> Double { 0.6 * r * r }
    static func cylinder(radius r: Double, length l: Double) -> Double { r * r / 2 + l * l / 12 }
    static func spheroid(polar rp: Double, equatorial re: Double) -> Double { (rp * rp + 2 * re * re) / 5 }
}
