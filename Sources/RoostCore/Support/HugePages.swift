#if canImport(Glibc)
import Glibc
#endif

/// Large float buffers (weights, arenas, the weight blobs the compiler builds) on
/// 2 MiB transparent huge pages where the kernel allows it. A 77 MB blob filled on
/// 4 KiB pages takes ~19,000 page faults (48–66 ms on this project's Zen 3 VM, against
/// 9–13 ms on huge pages); kernels streaming them cross fewer pages (inference ≈ 1–2 %
/// faster there, inside that VM's noise). Advice only: with THP off nothing changes.
public enum HugePages {
    public static let pageSize = 2 << 20
    /// Below this a buffer keeps ordinary pages (a huge page for a small tensor wastes memory).
    public static let threshold = 4 << 20

    /// Advises the whole 2 MiB pages inside `bytes` at `pointer`; call it before the
    /// first write, since pages already touched stay small.
    public static func advise(_ pointer: UnsafeMutableRawPointer, byteCount bytes: Int) {
        #if os(Linux)
        guard bytes >= threshold else { return }
        let start = (Int(bitPattern: pointer) + pageSize - 1) & ~(pageSize - 1)
        let end = (Int(bitPattern: pointer) + bytes) & ~(pageSize - 1)
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// `count` floats, 64-byte aligned (2 MiB aligned from `threshold` up, and advised):
    /// the first `source.count` copied from `source`, the rest zero, each written once.
    /// Release with `deallocate()`.
    public static func allocateFloats(_ count: Int, copying source: UnsafeBufferPointer<Float> = .init(start: nil, count: 0)) -> UnsafeMutablePointer<Float> {
        let count = max(count, source.count, 1)
        let bytes = count * MemoryLayout<Float>.size
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= threshold ? pageSize : 64)
        advise(raw, byteCount: bytes)
        let p = raw.bindMemory(to: Float.self, capacity: count)
        if let base = source.baseAddress { p.initialize(from: base, count: source.count) }
        (p + source.count).initialize(repeating: 0, count: count - source.count)
        return p
    }

    /// `reserveCapacity` for an array about to be filled by appends, its storage advised.
    public static func reserve(_ array: inout [Float], capacity: Int) {
        array.reserveCapacity(capacity)
        let spare = array.capacity - array.count
        array.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { advise(UnsafeMutableRawPointer(base + buffer.count), byteCount: spare * MemoryLayout<Float>.size) }
        }
    }

    /// A `[Float]` of `count` values written by `body`, its storage advised first.
    public static func floats(count: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows -> [Float] {
        try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { advise(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Float>.size) }
            try body(buffer)
            initialized = count
        }
    }
}
