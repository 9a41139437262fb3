// The fuzzing executable: libFuzzer's driver with the command line as given (`-runs=`, `-max_total_time=`,
// corpus folders; see scripts/fuzz), calling fuzzOneInput for each input.
import Foundation

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(fuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
