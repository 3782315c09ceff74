/// Float32 scratch owned by one kernel, allocated when the kernel is prepared
/// (never during `run()`), 64-byte aligned, freed with the kernel.
final class CNNScratchBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = Swift.max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: self.count * MemoryLayout<Float>.size, alignment: 64)
        pointer = raw.initializeMemory(as: Float.self, repeating: 0, count: self.count)
    }

    deinit { pointer.deallocate() }
}
