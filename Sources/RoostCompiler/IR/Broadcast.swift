/// NumPy-style broadcasting rules shared by shape inference and kernels.
public enum Broadcast {
    /// Whether `shape` broadcasts to `target` without changing `target` (Gemm's C, bias adds).
    public static func isUnidirectional(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        for (s, t) in zip(shape.reversed(), target.reversed()) where s != t && s != 1 { return false }
        return true
    }
}
