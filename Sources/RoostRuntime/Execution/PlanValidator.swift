import Foundation
import RoostCore

/// Checks a decoded plan against itself before the session allocates memory or
/// hands raw pointers to kernels: artifacts come from disk and the network, and a
/// damaged one must be refused with an error, not run off the end of a buffer.
/// Kernel-specific checks (attributes against operand shapes) live in each
/// kernel's initializer; this covers what every kernel relies on.
enum PlanValidator {
    /// Padding allowed past the last arena value: the planner rounds each value
    /// up to 16 elements; 64 leaves room for wider alignment.
    static let arenaSlack = 64

    static func validate(_ plan: ExecutionPlan, weightCount: Int) throws {
        guard plan.arenaElements >= 0, plan.arenaElements <= ElementCount.limit else {
            throw RoostError.invalidArtifact("arena size \(plan.arenaElements) is out of range")
        }
        let bytes = (plan.arenaElements + weightCount) * MemoryLayout<Float>.size
        let physical = ProcessInfo.processInfo.physicalMemory
        guard UInt64(bytes) <= physical else {
            throw RoostError.invalidArtifact(
                "the plan needs \(bytes >> 20) MiB of arena and weights; this machine has \(physical >> 20) MiB")
        }
        var arenaExtent = 0
        for (i, v) in plan.values.enumerated() {
            guard v.id == i else { throw RoostError.invalidArtifact("value ids are not dense (value \(i) has id \(v.id))") }
            let count = try ElementCount.checked(v.shape, "value '\(v.name)'", error: RoostError.invalidArtifact)
            let limit = v.storage == .arena ? plan.arenaElements : weightCount
            // Both terms are at most 2^40 after the checks above, so the sum cannot overflow.
            guard v.offset >= 0, v.offset <= ElementCount.limit, v.offset + count <= limit else {
                throw RoostError.invalidArtifact(
                    "value '\(v.name)' lies outside its \(v.storage.rawValue) (offset \(v.offset), \(count) elements, \(limit) available)")
            }
            if v.storage == .arena { arenaExtent = max(arenaExtent, v.offset + count) }
        }
        // The memory planner sizes the arena to its values (plus alignment), so a
        // larger arena is damage, and allocating it could take the machine's memory.
        guard plan.arenaElements <= arenaExtent + Self.arenaSlack else {
            throw RoostError.invalidArtifact("arena of \(plan.arenaElements) elements is larger than its values need (\(arenaExtent))")
        }
        for io in plan.inputs + plan.outputs where !plan.values.indices.contains(io.valueID) {
            throw RoostError.invalidArtifact("graph input/output '\(io.name)' refers to value \(io.valueID), which does not exist")
        }
        for step in plan.steps {
            // Negative ids mark omitted optional operands; anything else must exist.
            for id in step.inputs + step.outputs where id >= plan.values.count || id < -1 {
                throw RoostError.invalidArtifact("step \(step.origin) references value \(id), which does not exist")
            }
        }
    }
}
