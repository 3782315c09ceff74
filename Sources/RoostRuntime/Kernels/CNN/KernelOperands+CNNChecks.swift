import RoostCore

/// Operand checks for kernels that index memory with sizes from their attributes:
/// an artifact whose shapes disagree with them is refused at load time instead
/// of read out of bounds.
extension KernelOperands {
    /// Input `index` exists and holds exactly `count` floats.
    func checkedInput(_ index: Int, count: Int, _ what: String, _ step: PlanStep) throws -> UnsafeMutablePointer<Float> {
        guard index < inputs.count, let p = inputs[index] else { throw RoostError.invalidArtifact("\(step.origin): missing \(what)") }
        try Self.check(inputShapes[index], count, what, step)
        return p
    }

    /// Input `index` if present (an omitted optional input is nil), holding exactly `count` floats.
    func checkedOptionalInput(_ index: Int, count: Int, _ what: String, _ step: PlanStep) throws -> UnsafeMutablePointer<Float>? {
        guard index < inputs.count, inputs[index] != nil else { return nil }
        return try checkedInput(index, count: count, what, step)
    }

    /// Output `index` exists and holds exactly `count` floats.
    func checkedOutput(_ index: Int, count: Int, _ what: String, _ step: PlanStep) throws -> UnsafeMutablePointer<Float> {
        guard index < outputs.count else { throw RoostError.invalidArtifact("\(step.origin): missing \(what)") }
        try Self.check(outputShapes[index], count, what, step)
        return outputs[index]
    }

    private static func check(_ shape: [Int], _ count: Int, _ what: String, _ step: PlanStep) throws {
        guard shape.reduce(1, *) == count else {
            throw RoostError.invalidArtifact("\(step.origin): \(what) should hold \(count) elements, has shape \(shape)")
        }
    }
}

extension PlanStep {
    /// A positive integer attribute below 2³⁰ (sizes that index memory and feed BLAS's Int32).
    func positiveSize(_ key: String) throws -> Int {
        guard let v = attributes[key]?.int, v >= 1, v < 1 << 30 else {
            throw RoostError.invalidArtifact("\(origin): attribute '\(key)' must be a positive size")
        }
        return v
    }
}

extension PlanStep {
    /// Largest element count a CNN kernel accepts for an operand or its own scratch.
    static let maximumElements = 1 << 40
    /// Largest scratch a CNN kernel allocates for itself (1 GiB of floats).
    static let maximumScratch = 1 << 28

    /// The product of sizes from attributes, refused — not trapped — when it
    /// overflows or exceeds `limit` elements.
    func elements(_ factors: Int..., limit: Int = PlanStep.maximumElements, _ what: String = "an operand") throws -> Int {
        var product = 1
        for f in factors {
            let (p, overflow) = product.multipliedReportingOverflow(by: f)
            guard !overflow, f >= 0, p <= limit else {
                throw RoostError.invalidArtifact("\(origin): sizes \(factors) make \(what) too large")
            }
            product = p
        }
        return product
    }
}
