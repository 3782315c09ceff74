import Foundation

/// Caps this process's address space (RLIMIT_AS), so a model whose arena does
/// not fit fails its allocation in a child process instead of taking the
/// machine's memory — used by benchmark workers and reference workers.
public enum AddressSpaceLimit {
    public static func apply(megabytes: Int) throws {
        guard megabytes > 0 else { throw RoostError.invalidArgument("a memory limit must be positive") }
        var limit = rlimit(rlim_cur: rlim_t(megabytes) << 20, rlim_max: rlim_t(megabytes) << 20)
        #if os(Linux)
        let resource = Int32(RLIMIT_AS.rawValue)
        #else
        let resource = RLIMIT_AS
        #endif
        guard setrlimit(resource, &limit) == 0 else {
            throw RoostError.io("cannot cap this process's memory at \(megabytes) MiB: errno \(errno)")
        }
    }
}
