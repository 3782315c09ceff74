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
