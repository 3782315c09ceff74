import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and sets the CPUs this process may run on (Linux `sched_{get,set}affinity`).
///
/// The agent pins itself to the CPUs a benchmark slot owns so that several agents on
/// one host do not disturb each other; child processes inherit the mask. Swift's Glibc
/// module hides these calls (they need `_GNU_SOURCE`), so they are looked up with
/// `dlsym` at run time; on systems without them `current()` is empty and `restrict`
/// throws `.unavailable`.
public enum CPUAffinity {
    /// `CPU_SETSIZE`: the kernel's fixed-size `cpu_set_t` holds 1024 CPUs.
    public static let setSize = 1024

    public enum Error: Swift.Error, Sendable, Equatable {
        /// No CPUs were given.
        case empty
        /// A CPU id outside `0..<CPUAffinity.setSize`.
        case outOfRange(Int)
        /// The platform has no `sched_setaffinity`.
        case unavailable
        /// The kernel refused (e.g. `EINVAL` when none of the CPUs is online or allowed).
        case system(errno: Int32)
    }

    /// CPU ids the calling thread may run on, sorted; empty when unknown.
    public static func current() -> [Int] {
        guard let call = function("sched_getaffinity") else { return [] }
        var mask = [UInt](repeating: 0, count: setSize / UInt.bitWidth)
        let status = mask.withUnsafeMutableBytes { call(0, $0.count, $0.baseAddress) }
        guard status == 0 else { return [] }
        return ids(in: mask)
    }

    /// Restricts the process to `cpus`.
    ///
    /// `sched_setaffinity(0, …)` only changes the calling thread, and Swift code hops
    /// between pool threads, so the mask is applied to the calling thread (errors are
    /// reported from this call) and then to every other thread in `/proc/self/task`, so
    /// children spawned from any thread inherit it.
    public static func restrict(to cpus: [Int]) throws {
        guard !cpus.isEmpty else { throw Error.empty }
        if let bad = cpus.first(where: { $0 < 0 || $0 >= setSize }) { throw Error.outOfRange(bad) }
        guard let call = function("sched_setaffinity") else { throw Error.unavailable }
        var mask = self.mask(for: cpus)
        let status = mask.withUnsafeMutableBytes { call(0, $0.count, $0.baseAddress) }
        guard status == 0 else { throw Error.system(errno: errno) }
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for thread in threads.compactMap({ Int32($0) }) {
            _ = mask.withUnsafeMutableBytes { call(thread, $0.count, $0.baseAddress) }
        }
    }

    /// `CPU_SET` for each id: bit `id % bitWidth` of word `id / bitWidth` (unsigned long words).
    static func mask(for cpus: [Int]) -> [UInt] {
        var mask = [UInt](repeating: 0, count: setSize / UInt.bitWidth)
        for cpu in cpus { mask[cpu / UInt.bitWidth] |= 1 << UInt(cpu % UInt.bitWidth) }
        return mask
    }

    /// `CPU_ISSET` over the whole set.
    static func ids(in mask: [UInt]) -> [Int] {
        (0..<(mask.count * UInt.bitWidth)).filter { mask[$0 / UInt.bitWidth] & (1 << UInt($0 % UInt.bitWidth)) != 0 }
    }

    private typealias AffinityCall = @convention(c) (pid_t, Int, UnsafeMutableRawPointer?) -> Int32

    /// Looks a libc symbol up in the running process.
    private static func function(_ name: String) -> AffinityCall? {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: AffinityCall.self)
    }
}
