import COpenBLAS
import RoostCore

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

extension OpenBLAS {
    /// Maps OpenBLAS's GEMM buffers now, on every thread it will use. Call it
    /// before capping the address space (`AddressSpaceLimit`): OpenBLAS maps a
    /// buffer (up to 128 MiB) per thread on first use, and when that mmap fails
    /// it retries forever instead of failing — a capped worker would spin at
    /// 100 % CPU until its timeout rather than report that the model does not fit.
    public static func mapBuffers() {
        // Large enough that OpenBLAS splits it over all its threads.
        let n: Int32 = 256
        let a = [Float](repeating: 1, count: Int(n * n))
        var c = [Float](repeating: 0, count: Int(n * n))
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, a, n, 0, &c, n)
    }
}

extension AddressSpaceLimit {
    /// Caps a process that is about to run a model (a benchmark worker, a
    /// reference child): OpenBLAS's buffers are mapped first, so the cap makes
    /// an oversized model fail instead of making OpenBLAS spin.
    public static func applyBeforeRunningModels(megabytes: Int) throws {
        OpenBLAS.mapBuffers()
        try apply(megabytes: megabytes)
    }
}
