import Core
import Foundation
import Integration
import Testing

/// d_hkl of ``UnitCell`` (general triclinic metric) against the textbook special cases: cubic d = a/√(h²+k²+l²),
/// hexagonal 1/d² = 4(h² + hk + k²)/(3a²) + l²/c², tetragonal 1/d² = (h² + k²)/a² + l²/c²; 1e-13 relative.
@Suite struct UnitCellTests {
    @Test func cubicSilicon() throws {
        let cell = try UnitCell([5.431, 5.431, 5.431, 90, 90, 90], key: "cell")
        for hkl in [[1, 1, 1], [2, 2, 0], [3, 1, 1], [4, 0, 0]] {
            let expected = 5.431 / Double(hkl.map { $0 * $0 }.reduce(0, +)).squareRoot()
            #expect(abs(cell.dSpacing(hkl) / expected - 1) < 1e-13)
            #expect(abs(cell.q(hkl) * expected / (2 * .pi) - 1) < 1e-13)
        }
    }

    @Test func hexagonal() throws {
        let (a, c) = (4.76, 12.99)
        let cell = try UnitCell([a, a, c, 90, 90, 120], key: "cell")
        for hkl in [[1, 0, 0], [1, 1, 0], [1, 0, 4], [-1, 2, 3], [0, 0, 6]] {
            let (h, k, l) = (Double(hkl[0]), Double(hkl[1]), Double(hkl[2]))
            let inverse = 4 * (h * h + h * k + k * k) / (3 * a * a) + l * l / (c * c)
            #expect(abs(cell.dSpacing(hkl) * inverse.squareRoot() - 1) < 1e-13)
        }
    }

    @Test func tetragonal() throws {
        let cell = try UnitCell([3.9, 3.9, 7.3, 90, 90, 90], key: "cell")
        let inverse = (1.0 + 4) / (3.9 * 3.9) + 9 / (7.3 * 7.3)
        #expect(abs(cell.dSpacing([1, 2, 3]) * inverse.squareRoot() - 1) < 1e-13)
    }

    @Test func refusesImpossibleCells() {
        #expect(throws: ConfigError.self) { try UnitCell([5, 5, 5, 10, 10, 170], key: "cell") }
        #expect(throws: ConfigError.self) { try UnitCell([5, 5, 5, 90, 90], key: "cell") }
        #expect(throws: ConfigError.self) { try UnitCell([5, -5, 5, 90, 90, 90], key: "cell") }
        #expect(throws: ConfigError.self) { try UnitCell([5, 5, 5, 90, 180, 90], key: "cell") }
    }
}
