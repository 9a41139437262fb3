import Batch
import Core
import Testing
@testable import beamforge

/// The command layer's own logic: run options from flags, configuration documents and their overrides.
@Suite struct CLITests {
    @Test func scheduleFlagsParse() throws {
        #expect(Schedule("dynamic") == .dynamic && Schedule("cyclic") == .cyclic)
        #expect(Schedule("jitter:42") == .jittered(seed: 42))
        #expect(Schedule("jitter:") == nil && Schedule("fifo") == nil)
        let arguments = try RunArguments.parse(["--schedule", "jitter:3", "--batches-per-write", "4",
                                                "--profile", "p.csv", "--batch-size", "8"])
        #expect(arguments.schedule == "jitter:3" && arguments.batchesPerWrite == 4 && arguments.profile == "p.csv")
        #expect(try arguments.keyOverrides().map(\.key) == ["batch_size"])
        #expect(throws: (any Error).self) { try RunArguments.parse(["--schedule", "fifo"]) }
        #expect(throws: (any Error).self) { try RunArguments.parse(["--batches-per-write", "0"]) }
    }

    @Test("a negative number after an option is its value, not a flag")
    func negativeValues() {
        #expect(CommandLineValues.joiningNegativeNumbers(["--seed", "-5", "--n", "3"]) == ["--seed=-5", "--n", "3"])
        #expect(CommandLineValues.joiningNegativeNumbers(["-N", "-5", "-x"]) == ["-N=-5", "-x"])
        #expect(CommandLineValues.joiningNegativeNumbers(["--set", "n=-5", "--min-time", "-0.5"])
                == ["--set", "n=-5", "--min-time=-0.5"])
        #expect(CommandLineValues.joiningNegativeNumbers(["--n=3", "-5", "--chi", "--out", "-o"])
                == ["--n=3", "-5", "--chi", "--out", "-o"])
    }

    @Test("--set overrides land on the named key; a bad key path is named in the error")
    func overrides() throws {
        var document = try ConfigDocument(path: nil)
        try document.set("batch_size", to: "16", origin: "--set")
        let settings = try document.decode(RunSettings.self)
        #expect(settings.batchSize == 16)
        var bad = try ConfigDocument(path: nil)
        try bad.set("batch_size", to: "0", origin: "--batch-size")
        do {
            try bad.decode(RunSettings.self).validate()
            Issue.record("batch_size 0 was accepted")
        } catch {
            #expect(error.key == "batch_size")
        }
    }
}
