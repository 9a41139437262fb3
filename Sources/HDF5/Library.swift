import CHDF5
import Foundation

/// Process-wide HDF5 set-up and the one place that turns failed calls into ``HDF5Error``.
enum Library {
    /// HDF5 as Debian builds it with MPI is not thread-safe: one call at a time in the whole process. Every public
    /// entry point of this module holds this lock (recursive: entry points call each other), as the library's own
    /// thread-safe build does around each API call, so that a job may read an input file on the runner's compute
    /// thread while the main thread writes the output. MPI stays funnelled: only the main thread opens files with
    /// the MPI-IO driver and makes collective calls.
    private static let lock = NSRecursiveLock()

    /// Runs `body` holding the library's lock.
    @discardableResult
    static func serialized<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Silences HDF5's automatic error printing once: errors are collected from the stack and thrown instead.
    static let initialized: Bool = {
        H5open()
        H5Eset_auto2(H5E_DEFAULT, nil, nil)
        return true
    }()

    /// Reads (and clears) the current thread's HDF5 error stack.
    static func errorStack() -> [String] {
        final class Box { var lines: [String] = [] }
        let box = Box()
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, { _, description, client in
            guard let description, let client else { return 0 }
            let box = Unmanaged<Box>.fromOpaque(client).takeUnretainedValue()
            let function = description.pointee.func_name.map { String(cString: $0) } ?? "?"
            let text = description.pointee.desc.map { String(cString: $0) } ?? ""
            box.lines.append("\(function): \(text)")
            return 0
        }, unmanaged.toOpaque())
        H5Eclear2(H5E_DEFAULT)
        // HDF5 lists the outermost call first; keep the most specific causes, without repeats.
        var seen = Set<String>()
        return box.lines.filter { seen.insert($0).inserted }
    }

    /// Throws when an HDF5 status is negative.
    @discardableResult
    static func check(_ status: herr_t, _ function: String, _ context: @autoclosure () -> String) throws -> herr_t {
        if status < 0 { throw HDF5Error(function: function, context: context(), stack: errorStack()) }
        return status
    }

    /// Throws when an HDF5 identifier is invalid (negative).
    static func check(id: hid_t, _ function: String, _ context: @autoclosure () -> String) throws -> hid_t {
        if id < 0 { throw HDF5Error(function: function, context: context(), stack: errorStack()) }
        return id
    }

    /// Throws when a tri-state result is negative; returns whether it was positive.
    static func check(tri: htri_t, _ function: String, _ context: @autoclosure () -> String) throws -> Bool {
        if tri < 0 { throw HDF5Error(function: function, context: context(), stack: errorStack()) }
        return tri > 0
    }
}

/// Calls `body` with a non-null address for `values`' bytes: HDF5 rejects a null buffer even when nothing is
/// selected, which is what an empty Swift array gives.
func withNonNullBytes<T, R>(_ values: UnsafeBufferPointer<T>, _ body: (UnsafeRawPointer) throws -> R) rethrows -> R {
    if let base = values.baseAddress, !values.isEmpty { return try body(UnsafeRawPointer(base)) }
    var pad: UInt64 = 0
    return try withUnsafeBytes(of: &pad) { try body($0.baseAddress!) }
}
