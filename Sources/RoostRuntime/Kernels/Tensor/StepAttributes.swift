import RoostCore

extension PlanStep {
    /// A required integer attribute, or an artifact error naming the step.
    func requiredInt(_ key: String) throws -> Int {
        guard let v = attributes[key]?.int else { throw RoostError.invalidArtifact("\(kernel) \(origin) lacks integer attribute '\(key)'") }
        return v
    }

    func requiredInts(_ key: String) throws -> [Int] {
        guard let v = attributes[key]?.ints else { throw RoostError.invalidArtifact("\(kernel) \(origin) lacks attribute '\(key)'") }
        return v
    }

    func requiredString(_ key: String) throws -> String {
        guard let v = attributes[key]?.string else { throw RoostError.invalidArtifact("\(kernel) \(origin) lacks attribute '\(key)'") }
        return v
    }

    /// A float attribute; non-finite values travel as "inf", "-inf" or "nan" (JSON has none).
    func float(_ key: String) -> Float? {
        switch attributes[key] {
        case .float(let v)?: v
        case .int(let v)?: Float(v)
        case .string("inf")?: .infinity
        case .string("-inf")?: -.infinity
        case .string("nan")?: .nan
        default: nil
        }
    }
}

extension KernelOperands {
    /// Input `i`, which must be present.
    func input(_ i: Int, _ step: PlanStep) throws -> UnsafeMutablePointer<Float> {
        guard i < inputs.count, let p = inputs[i] else { throw RoostError.invalidArtifact("\(step.kernel) \(step.origin) lacks input \(i)") }
        return p
    }

    /// Input `i` when present (optional ONNX inputs are nil).
    func optionalInput(_ i: Int) -> UnsafeMutablePointer<Float>? { i < inputs.count ? inputs[i] : nil }

    func output(_ i: Int, _ step: PlanStep) throws -> UnsafeMutablePointer<Float> {
        guard i < outputs.count else { throw RoostError.invalidArtifact("\(step.kernel) \(step.origin) lacks output \(i)") }
        return outputs[i]
    }

    func inputCount(_ i: Int) -> Int { i < inputShapes.count ? inputShapes[i].reduce(1, *) : 0 }
    func outputCount(_ i: Int) -> Int { i < outputShapes.count ? outputShapes[i].reduce(1, *) : 0 }
}

/// Scratch memory a kernel owns from build to release, so `run()` never allocates.
final class ScratchBuffer<T> {
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
