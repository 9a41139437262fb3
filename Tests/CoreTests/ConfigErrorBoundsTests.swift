import Core
import Testing

@Suite struct ConfigErrorBoundsTests {
    @Test("values in range pass, the ends as asked")
    func inRange() throws {
        try ConfigError.bound(1e20, key: "flux", 0, 1e20, lowerOpen: true)
        try ConfigError.bound(0, key: "background", 0, 1)
        try ConfigError.bound(range: [1, 5], key: "size", 1, 10)
        try ConfigError.bound(count: 5, key: "q_points", 2...10, why: "pixels")
    }

    @Test("out of range, infinite and NaN values are named with the range, unit and reason")
    func outOfRange() {
        do {
            try ConfigError.bound(.infinity, key: "instruments.0.flux", 0, 1e20, lowerOpen: true, unit: "photons/s",
                                  why: "bright")
            Issue.record("inf accepted")
        } catch {
            #expect(error.description == "instruments.0.flux: inf is out of range: must be finite and in (0, 1e20] "
                    + "photons/s (bright)")
        }
        #expect(throws: ConfigError.self) { try ConfigError.bound(.nan, key: "x", 0, 1) }
        #expect(throws: ConfigError.self) { try ConfigError.bound(0, key: "x", 0, 1, lowerOpen: true) }
        #expect(throws: ConfigError.self) { try ConfigError.bound(range: [1, 1e300], key: "size", 1, 1e4) }
        #expect(throws: ConfigError.self) { try ConfigError.bound(count: 1_000_000_000, key: "n", 2...10, why: "") }
    }

    @Test("numbers are written as people write them")
    func numbers() {
        #expect(ConfigError.number(1e20) == "1e20")
        #expect(ConfigError.number(0.001) == "0.001")
        #expect(ConfigError.number(-5) == "-5")
        #expect(ConfigError.number(1e6) == "1e6" && ConfigError.number(1e-9) == "1e-9")
        #expect(ConfigError.number(2.5e-300) == "2.5e-300" && ConfigError.number(1234567) == "1.23457e6")
        #expect(ConfigError.number(.nan) == "nan" && ConfigError.number(-.infinity) == "-inf")
    }
}
