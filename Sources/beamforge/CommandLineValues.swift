/// Rewrites of the command line before parsing.
enum CommandLineValues {
    /// `--seed -5` as `--seed=-5` (`-N -5` as `-N=-5`): the argument parser takes a value that starts with `-` for
    /// a flag and reports the option's value as missing. An option without `=` followed by a negative number (`-5`,
    /// `-0.5`, `-inf`) gets it attached; anything else is left as it is.
    static func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for argument in arguments {
            if let last = out.last, isOption(last), isNegativeNumber(argument) {
                out[out.count - 1] = last + "=" + argument
            } else {
                out.append(argument)
            }
        }
        return out
    }

    private static func isOption(_ text: String) -> Bool {
        if text.hasPrefix("--") { return text.count > 2 && !text.contains("=") }
        return text.count == 2 && text.hasPrefix("-") && text.last!.isLetter
    }

    private static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        let rest = text.dropFirst()
        return Double(rest) != nil || rest.lowercased() == "inf" || rest.lowercased() == "nan"
    }
}
