/// The commented default configurations of configs/, compiled into the binary (Package.swift embeds them through
/// Sources/beamforge/Defaults, links to configs/), so that `--print-config` works for an installed binary anywhere.
enum DefaultConfig {
    case saxs, integrate, tomo, stack, ptycho, ptychoQC, orient

    /// The file's text, exactly as configs/ holds it.
    var text: String {
        let bytes: [UInt8]
        switch self {
        case .saxs: bytes = PackageResources.saxs_yml
        case .integrate: bytes = PackageResources.integrate_yml
        case .tomo: bytes = PackageResources.tomo_yml
        case .stack: bytes = PackageResources.stack_yml
        case .ptycho: bytes = PackageResources.ptycho_yml
        case .ptychoQC: bytes = PackageResources.ptycho_qc_yml
        case .orient: bytes = PackageResources.orient_yml
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
