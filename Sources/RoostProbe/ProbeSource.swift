/// Where the probe gets its raw text from.
///
/// Every reading goes through this seam so the same parsing code runs on the live
/// machine and on recorded fixture folders from machines we do not have (Jetsons,
/// Gravitons, GPU servers). Paths are always the real Linux paths; a fixture source
/// maps them onto its own file names.
public protocol ProbeSource: Sendable {
    /// Text of the file at a Linux path (`/proc/cpuinfo`), or nil when absent or unreadable.
    func read(_ path: String) -> String?
    /// Names inside the directory at a Linux path (unsorted); empty when absent.
    func list(_ path: String) -> [String]
    /// Standard output of a well-known command, or nil when it is missing, fails or times out.
    func run(_ command: ProbeCommand) -> String?
    /// CPU ids the calling thread may run on (sched affinity); empty when unknown,
    /// which is always the case for a recorded machine.
    func affinity() -> [Int]
}

/// The commands the probe may need. A closed set rather than free-form argv so a
/// fixture source can map each one to a recorded output file, and so the live
/// source can answer some natively (uname, hostname) without spawning a process.
public enum ProbeCommand: String, Sendable, CaseIterable {
    /// `uname -m`: kernel architecture name.
    case unameMachine
    /// `uname -r`: kernel release.
    case unameRelease
    /// `hostname`: last-resort machine identity.
    case hostname
    /// `lscpu`: only consulted for recorded machines, where it may name the architecture.
    case lscpu
    /// `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`.
    case nvidiaSMIQueryGPU
    /// `nvidia-smi -q -x`: XML report, the only source with the CUDA version on old drivers.
    case nvidiaSMIXML
    /// `nvidia-smi -q`: text report.
    case nvidiaSMIText
    /// `nvidia-smi --version`: cheap way to get driver and CUDA versions.
    case nvidiaSMIVersion
    /// One line of `tegrastats` (Jetson). Never run live: it streams forever.
    case tegrastats

    /// Fields asked of `nvidia-smi --query-gpu`; the CSV parser falls back to these
    /// column names when the output has no header line (`noheader`).
    public static let nvidiaQueryFields = ["name", "memory.total", "driver_version"]
}
