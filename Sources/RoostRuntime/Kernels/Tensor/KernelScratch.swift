/// Scratch memory a kernel owns from build to release, so `run()` never allocates.
final class KernelScratch<T> {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    init(_ values: [T]) {
        count = values.count
        pointer = .allocate(capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.initialize(from: base, count: values.count) } }
    }

    init(repeating value: T, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
}
