import CBuildInfo

/// Facts fixed when the binary was built.
public enum BuildInfo {
    /// The commit the binary was built from (`scripts/install` records it; `+dirty` when the tree had changes), or nil
    /// for a development build, which does not record one.
    public static let commit: String? = {
        let text = String(cString: bf_build_commit())
        return text.isEmpty ? nil : text
    }()
}
