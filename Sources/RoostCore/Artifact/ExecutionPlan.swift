/// The compiled form of a model: a straight-line list of kernel calls over values
/// that live either in a preallocated arena or in the artifact's weight blob.
///
/// The compiler produces it and the runtime executes it; kernels are named by
/// string so new operators extend the format without changing its shape.
public struct ExecutionPlan: Codable, Sendable, Equatable {
    public var values: [PlanValue]
    public var inputs: [PlanIO]
    public var outputs: [PlanIO]
    public var steps: [PlanStep]
    /// Float32 elements the runtime allocates once for all intermediate values.
    public var arenaElements: Int

    public init(values: [PlanValue], inputs: [PlanIO], outputs: [PlanIO], steps: [PlanStep], arenaElements: Int) {
        self.values = values
        self.inputs = inputs
        self.outputs = outputs
        self.steps = steps
        self.arenaElements = arenaElements
    }
}

/// A tensor in the plan: where its float32 elements live and its static shape.
public struct PlanValue: Codable, Sendable, Equatable {
    public enum Storage: String, Codable, Sendable { case arena, weights }
    public var id: Int
    public var name: String
    public var shape: [Int]
    public var storage: Storage
    /// Element offset into the arena or the weight blob.
    public var offset: Int

    public init(id: Int, name: String, shape: [Int], storage: Storage, offset: Int) {
        self.id = id
        self.name = name
        self.shape = shape
        self.storage = storage
        self.offset = offset
    }

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A graph input or output bound to a plan value.
public struct PlanIO: Codable, Sendable, Equatable {
    public var name: String
    public var valueID: Int
    public init(name: String, valueID: Int) {
        self.name = name
        self.valueID = valueID
    }
}

/// One kernel invocation.
public struct PlanStep: Codable, Sendable, Equatable {
    public var kernel: String
    public var inputs: [Int]
    public var outputs: [Int]
    public var attributes: [String: PlanAttribute]
    /// The ONNX node(s) this step came from, for `roost inspect` and error messages.
    public var origin: String

    public init(kernel: String, inputs: [Int], outputs: [Int], attributes: [String: PlanAttribute] = [:], origin: String) {
        self.kernel = kernel
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
        self.origin = origin
    }
}

public enum PlanAttribute: Codable, Sendable, Equatable {
    case int(Int)
    case float(Float)
    case ints([Int])
    case floats([Float])
    case string(String)

    public var int: Int? { if case .int(let v) = self { v } else { nil } }
    public var float: Float? { if case .float(let v) = self { v } else { nil } }
    public var ints: [Int]? { if case .ints(let v) = self { v } else { nil } }
    public var string: String? { if case .string(let v) = self { v } else { nil } }
}
