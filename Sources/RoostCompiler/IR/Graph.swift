import RoostCore

/// The compiler's graph IR: ONNX semantics, static shapes, constants held by value.
/// Passes rewrite it in place; lowering turns it into an `ExecutionPlan`.
public struct Graph: Sendable {
    public var nodes: [Node]
    public var inputs: [String]
    public var outputs: [String]
    /// Known tensor values (initializers, `Constant` outputs, folded results).
    public var constants: [String: HostTensor]
    /// Static shapes of every value, filled by import and shape inference.
    public var shapes: [String: [Int]]
    /// Element types of every value, filled by import and shape inference.
    public var types: [String: ElementType]
    public var opset: Int

    public init(nodes: [Node], inputs: [String], outputs: [String], constants: [String: HostTensor], shapes: [String: [Int]],
                types: [String: ElementType] = [:], opset: Int) {
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.constants = constants
        self.shapes = shapes
        self.types = types
        self.opset = opset
    }

    /// The element type of a value; float32 when nothing says otherwise.
    public func type(of value: String) -> ElementType { types[value] ?? .float32 }

    public func shape(of value: String) throws -> [Int] {
        if let s = shapes[value] { return s }
        if let c = constants[value] { return c.shape }
        throw RoostError.invalidModel("no static shape known for value '\(value)'")
    }
}

/// One operator application.
public struct Node: Sendable {
    public var name: String
    public var opType: String
    public var domain: String
    /// Input value names; an empty string marks an omitted optional input.
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: NodeAttribute]

    public init(name: String, opType: String, domain: String = "", inputs: [String], outputs: [String], attributes: [String: NodeAttribute] = [:]) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    public func int(_ key: String, default d: Int) -> Int { attributes[key]?.int ?? d }
    public func float(_ key: String, default d: Float) -> Float { attributes[key]?.float ?? d }
    public func ints(_ key: String) -> [Int]? { attributes[key]?.ints }

    /// Used in every compile error so users can find the node in Netron.
    public var label: String { "\(opType) node '\(name)'" }
}

public enum NodeAttribute: Sendable, Equatable {
    case int(Int)
    case float(Float)
    case ints([Int])
    case floats([Float])
    case string(String)
    case tensor(HostTensor)

    public var int: Int? { if case .int(let v) = self { v } else { nil } }
    public var float: Float? {
        switch self {
        case .float(let v): v
        case .int(let v): Float(v)
        default: nil
        }
    }
    public var ints: [Int]? { if case .ints(let v) = self { v } else { nil } }
    public var string: String? { if case .string(let v) = self { v } else { nil } }
}
