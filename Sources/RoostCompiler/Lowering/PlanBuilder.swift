import RoostCore

/// Lowers an optimized graph to an `ExecutionPlan` plus its weight blob: constants
/// are packed 64-byte aligned, intermediates are placed by the `MemoryPlanner`.
public struct PlanBuilder: Sendable {
    public let registry: OperatorRegistry
    public init(registry: OperatorRegistry = .standard) { self.registry = registry }

    public func build(_ graph: Graph) throws -> (plan: ExecutionPlan, weights: [Float]) {
        var values: [PlanValue] = []
        var ids: [String: Int] = [:]
        var weights: [Float] = []
        // One allocation for every constant (with its alignment), not a doubling per append.
        HugePages.reserve(&weights, capacity: graph.constants.values.reduce(0) { $0 + $1.data.count + MemoryPlanner.alignment })
        var intervals: [Int: MemoryPlanner.Interval] = [:]
        let lastStep = max(graph.nodes.count - 1, 0)

        func arenaValue(_ name: String, first: Int) throws -> Int {
            let id = values.count
            values.append(PlanValue(id: id, name: name, shape: try graph.shape(of: name), storage: .arena, offset: 0))
            ids[name] = id
            intervals[id] = .init(id: id, elements: values[id].elementCount, first: first, last: first)
            return id
        }

        // A `copy` step's output may share its input's memory (a reshape view): alias id → root id.
        var aliasOf: [Int: Int] = [:]

        func operand(_ name: String, at step: Int) throws -> Int {
            if let id = ids[name] {
                let root = aliasOf[id] ?? id
                if values[root].storage == .arena, let current = intervals[root]?.last { intervals[root]?.last = max(current, step) }
                return id
            }
            guard let constant = graph.constants[name] else { throw RoostError.invalidModel("value '\(name)' is never defined") }
            let pad = (MemoryPlanner.alignment - weights.count % MemoryPlanner.alignment) % MemoryPlanner.alignment
            weights.append(contentsOf: repeatElement(0, count: pad))
            let id = values.count
            values.append(PlanValue(id: id, name: name, shape: constant.shape, storage: .weights, offset: weights.count))
            weights.append(contentsOf: constant.data)
            ids[name] = id
            return id
        }

        // Inputs stay intact across runs (the harness writes them once), so they
        // live for the whole plan.
        for input in graph.inputs {
            let id = try arenaValue(input, first: 0)
            intervals[id]?.last = lastStep
        }
        var steps: [PlanStep] = []
        for (index, node) in graph.nodes.enumerated() {
            let lowered = try registry.lowering(for: node, opset: graph.opset).lower(node, in: graph)
            // Views need no step: the output names the input's elements under a new shape.
            if lowered.kernel == "copy", node.outputs.count == 1, let input = node.inputs.first, !input.isEmpty,
               !graph.outputs.contains(node.outputs[0]) {
                let source = try operand(input, at: index)
                let root = aliasOf[source] ?? source
                let id = values.count
                values.append(PlanValue(id: id, name: node.outputs[0], shape: try graph.shape(of: node.outputs[0]),
                                        storage: values[root].storage, offset: values[root].offset))
                guard values[id].elementCount == values[root].elementCount else {
                    throw RoostError.invalidModel("\(node.label): a copy must keep the element count")
                }
                ids[node.outputs[0]] = id
                aliasOf[id] = root
                continue
            }
            let inputs = try node.inputs.map { $0.isEmpty ? -1 : try operand($0, at: index) }
            let outputs = try node.outputs.map { $0.isEmpty ? -1 : try arenaValue($0, first: index) }
            steps.append(PlanStep(kernel: lowered.kernel, inputs: inputs, outputs: outputs, attributes: lowered.attributes, origin: node.name))
        }
        for output in graph.outputs {
            guard let id = ids[output], values[id].storage == .arena else {
                throw RoostError.unsupported("graph output '\(output)' is a constant; nothing to compute")
            }
            intervals[id]?.last = lastStep
        }

        let (offsets, arena) = MemoryPlanner().plan(Array(intervals.values))
        for (id, offset) in offsets { values[id].offset = offset }
        for (alias, root) in aliasOf { values[alias].offset = values[root].offset }
        let plan = ExecutionPlan(
            values: values,
            inputs: graph.inputs.map { PlanIO(name: $0, valueID: ids[$0]!) },
            outputs: graph.outputs.map { PlanIO(name: $0, valueID: ids[$0]!) },
            steps: steps, arenaElements: arena)
        return (plan, weights)
    }
}
