import Foundation
import RoostCore

/// A scalar binary operation; kernels are generic over it so each op's loops are
/// specialized (and vectorized) by the compiler.
protocol BinaryOp {
    static func apply(_ a: Float, _ b: Float) -> Float
}

enum AddOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum SubOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum MulOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum DivOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b } }
/// Integer division truncates toward zero (ONNX integer Div).
enum DivIntOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { (a / b).rounded(.towardZero) } }
enum PowOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { powf(a, b) } }
/// C fmod: the result takes the dividend's sign (ONNX Mod with fmod = 1).
enum FModOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { fmodf(a, b) } }
/// Python-style mod: the result takes the divisor's sign (ONNX integer Mod, fmod = 0).
enum FloorModOp: BinaryOp {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float {
        let r = fmodf(a, b)
        return r != 0 && (r < 0) != (b < 0) ? r + b : r
    }
}
enum EqualOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 } }
enum LessOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 } }
enum GreaterOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 } }
enum LessEqualOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }
enum GreaterEqualOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 } }
enum AndOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a != 0 && b != 0 ? 1 : 0 } }
enum OrOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a != 0 || b != 0 ? 1 : 0 } }
enum XorOp: BinaryOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { (a != 0) != (b != 0) ? 1 : 0 } }

enum BinaryOps {
    /// Builds the `binary` kernel specialized for the step's `op`.
    static func make(_ step: PlanStep, _ ops: KernelOperands) throws -> any Kernel {
        let op = try step.requiredString("op")
        switch op {
        case "add": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<AddOp>.row)
        case "sub": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<SubOp>.row)
        case "mul": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<MulOp>.row)
        case "div": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<DivOp>.row)
        case "div_int": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<DivIntOp>.row)
        case "pow": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<PowOp>.row)
        case "fmod": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<FModOp>.row)
        case "mod_int", "mod_float": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<FloorModOp>.row)
        case "equal": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<EqualOp>.row)
        case "less": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<LessOp>.row)
        case "greater": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<GreaterOp>.row)
        case "less_equal": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<LessEqualOp>.row)
        case "greater_equal": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<GreaterEqualOp>.row)
        case "and": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<AndOp>.row)
        case "or": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<OrOp>.row)
        case "xor": return try BroadcastBinaryKernel(step, ops, row: BinaryRow<XorOp>.row)
        default: throw RoostError.invalidArtifact("binary \(step.origin): unknown op '\(op)'")
        }
    }
}
