import Foundation
import RoostCore

/// The models Roost ships: generated with seeded weights, written in the ONNX
/// model-zoo layout (`NAME/model.onnx`, `NAME/test_data_set_0/{input,output}_0.pb`).
/// Reference outputs come from a plain-loop evaluation independent of the
/// runtime's BLAS kernels, so they check the runtime rather than echo it.
public enum ReferenceSuite {
    public struct Entry: Sendable {
        public var name: String
        public var description: String
        /// Layer widths: input, hidden…, output.
        public var widths: [Int]
        public var batch: Int
    }

    public static let models: [Entry] = [
        Entry(name: "mlp-mnist", description: "784-512-512-10 MLP, the classic MNIST shape", widths: [784, 512, 512, 10], batch: 1),
        Entry(name: "mlp-wide", description: "1024-2048-1024 MLP: GEMM-bound, 16 MB of weights, beyond L2", widths: [1024, 2048, 1024], batch: 1),
        Entry(name: "mlp-batch32", description: "256-1024-1024-256 MLP at batch 32: throughput-shaped", widths: [256, 1024, 1024, 256], batch: 32),
    ]

    /// Writes every model; returns the `model.onnx` paths.
    @discardableResult
    public static func write(to directory: URL, seed: UInt64 = 2026) throws -> [URL] {
        try models.enumerated().map { i, entry in try write(entry, to: directory, seed: seed &+ UInt64(i) &* 1000) }
    }

    public static func write(_ entry: Entry, to directory: URL, seed: UInt64) throws -> URL {
        let dir = directory.appendingPathComponent(entry.name)
        let data = dir.appendingPathComponent("test_data_set_0")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var b = ModelBuilder(name: entry.name)
        var x = b.input("input", shape: [entry.batch, entry.widths[0]])
        var layers: [(w: HostTensor, bias: HostTensor)] = []
        for l in 0..<(entry.widths.count - 1) {
            let (fanIn, fanOut) = (entry.widths[l], entry.widths[l + 1])
            // Weights stored [out, in] with transB = 1, as torch.nn.Linear exports them.
            var w = HostTensor.seeded(shape: [fanOut, fanIn], seed: seed &+ UInt64(2 * l))
            let scale = Float(1.0 / Double(fanIn).squareRoot())
            w.data = w.data.map { $0 * scale }
            var bias = HostTensor.seeded(shape: [fanOut], seed: seed &+ UInt64(2 * l + 1))
            bias.data = bias.data.map { $0 * 0.1 }
            layers.append((w, bias))
            let wn = b.initializer("fc\(l).weight", w), bn = b.initializer("fc\(l).bias", bias)
            let last = l == entry.widths.count - 2
            x = b.node("Gemm", [x, wn, bn], output: last ? "output" : nil, attributes: ["transB": .int(1)])
            if !last { x = b.node("Relu", [x]) }
        }
        b.output("output", shape: [entry.batch, entry.widths.last!])
        let modelURL = dir.appendingPathComponent("model.onnx")
        try b.serialized().write(to: modelURL)

        let input = HostTensor.seeded(shape: [entry.batch, entry.widths[0]], seed: seed &+ 999)
        try TensorProtoCodec.write(input, name: "input", to: data.appendingPathComponent("input_0.pb"))
        let expected = referenceMLP(input, layers)
        try TensorProtoCodec.write(expected, name: "output", to: data.appendingPathComponent("output_0.pb"))
        return modelURL
    }

    /// y = relu(x·Wᵀ + b) per hidden layer, plain loops in Double.
    static func referenceMLP(_ input: HostTensor, _ layers: [(w: HostTensor, bias: HostTensor)]) -> HostTensor {
        var x = input
        for (i, layer) in layers.enumerated() {
            let (out, inn) = (layer.w.shape[0], layer.w.shape[1])
            let batch = x.shape[0]
            var y = [Float](repeating: 0, count: batch * out)
            for n in 0..<batch {
                for o in 0..<out {
                    var acc = Double(layer.bias.data[o])
                    for k in 0..<inn { acc += Double(x.data[n * inn + k]) * Double(layer.w.data[o * inn + k]) }
                    y[n * out + o] = Float(i == layers.count - 1 ? acc : max(acc, 0))
                }
            }
            x = HostTensor(shape: [batch, out], data: y)
        }
        return x
    }
}
