/// ONNX element types as the compiler tracks them. Values are stored as float32
/// at run time; the type says how to interpret them (integer division rounds
/// toward zero, comparisons yield 0/1) and is checked against the model's.
public enum ElementType: String, Sendable, Codable, Equatable {
    case float32, float16, bfloat16, float64
    case int8, int16, int32, int64, uint8, uint16, uint32, uint64
    case bool, string, undefined

    /// From `TensorProto.DataType` numbers.
    public init(onnx code: Int32) {
        self = switch code {
        case 1: .float32
        case 2: .uint8
        case 3: .int8
        case 4: .uint16
        case 5: .int16
        case 6: .int32
        case 7: .int64
        case 8: .string
        case 9: .bool
        case 10: .float16
        case 11: .float64
        case 12: .uint32
        case 13: .uint64
        case 16: .bfloat16
        default: .undefined
        }
    }

    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float16 || self == .bfloat16 || self == .float64 }
}
