import RoostCore

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

    /// The plan's workspace when it holds `needed` floats, else a buffer of the
    /// kernel's own (returned so the kernel keeps it alive); refuses sizes past
    /// `PlanStep.maximumScratch`.
    static func workspace(_ needed: Int, planned: (pointer: UnsafeMutablePointer<Float>, count: Int)?, kernel: String,
                          origin: String) throws -> (pointer: UnsafeMutablePointer<Float>, buffer: CNNScratchBuffer?) {
        if let planned, planned.count >= needed { return (planned.pointer, nil) }
        guard needed <= PlanStep.maximumScratch else {
            throw RoostError.invalidArtifact("\(origin): \(kernel) workspace of \(needed) floats is too large")
        }
        let buffer = CNNScratchBuffer(count: needed)
        return (buffer.pointer, buffer)
    }
}
