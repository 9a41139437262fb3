import Foundation

/// The exponentially scaled modified Bessel function of order zero, i0e(x) = e^{−|x|} I₀(x) (scipy `i0e`), for the
/// Maier–Saupe projections. Hand-written: neither Foundation nor the packaged Swift libraries have I₀.
///
/// |x| ≤ 20: the power series I₀(x) = Σ (x²/4)ᵏ/(k!)² (all terms positive, no cancellation), times e^{−|x|}.
/// |x| > 20: the asymptotic series e^{−|x|}I₀(x) = (2π|x|)^{−½} Σ ((2k−1)!!)²/(k! (8|x|)ᵏ) (A&S 9.7.1), whose
/// smallest term is near e^{−2|x|} < 1e-17 of the sum there.
public enum ModifiedBessel {
    public static func i0e(_ x: Double) -> Double {
        let a = abs(x)
        if a <= 20 {
            let q = a * a / 4
            var term = 1.0, sum = 1.0, k = 0.0
            while term > sum * 1e-17 {
                k += 1
                term *= q / (k * k)
                sum += term
            }
            return sum * exp(-a)
        }
        var term = 1.0, sum = 1.0, k = 0.0
        while true {
            let next = term * (2 * k + 1) * (2 * k + 1) / ((k + 1) * 8 * a)
            if next >= term || next < sum * 1e-17 { break }
            term = next
            sum += term
            k += 1
        }
        return sum / (2 * .pi * a).squareRoot()
    }
}
