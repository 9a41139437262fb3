#if canImport(Glibc)
import Glibc
#endif

/// The machine's memory (`sysconf(3)`).
public enum SystemMemory {
    /// Physical memory in bytes: `_SC_PHYS_PAGES` × `_SC_PAGESIZE`; nil where the system does not say.
    public static var physicalBytes: Int? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return nil }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size
    }
}
