import COpenBLAS

/// OpenBLAS's process-wide controls. The kernel family is chosen by the
/// `OPENBLAS_CORETYPE` environment variable, which OpenBLAS reads once when the
/// library loads — so the agent sets it when it spawns the worker process.
public enum OpenBLAS {
    /// Kernel family OpenBLAS is actually using (e.g. `Haswell`, `SkylakeX`, `Prescott`).
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    public static var threads: Int { Int(openblas_get_num_threads()) }

    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// Name of the environment variable that forces the kernel family.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
}
