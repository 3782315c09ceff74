import Foundation
import RoostCompiler
import RoostCore
import RoostONNX
import RoostRuntime

/// Runs the ONNX backend node tests (`DIR/node/test_*/model.onnx` with
/// `test_data_set_*/{input,output}_*.pb`, as `scripts/onnx-node-tests.sh` writes
/// them) through Roost's compiler and runtime.
///
/// A case is skipped when Roost reports something it does not support (an
/// operator, opset, data type or non-tensor value), failed when a supported
/// model compiles, loads or runs wrongly, and passed when every output of every
/// data set matches the reference. Errors never escape: one bad case must not
/// stop the other 1,900.
///
/// With `bindShapeInputs` (the default), a case whose compile is refused only
/// because a shape-like operand (Reshape's shape, Slice's starts, Resize's sizes,
/// …) is a graph input is compiled again per data set with those inputs bound to
/// the data set's values, as a user pins them at compile time
/// (`ShapeInputBinding`); its result records the bound inputs.
public struct ConformanceRunner: Sendable {
    /// The folder holding the `test_*` case folders.
    public let casesDirectory: URL
    public var target: TargetSpec
    public var comparison: OutputComparison
    public var compiler: Compiler
    /// Rebind cases refused only for a shape-like graph input (see the type's comment).
    public var bindShapeInputs: Bool

    /// `directory` is the generator's output folder (holding `node/`) or the `node/` folder itself.
    public init(directory: URL, target: TargetSpec = TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1),
                comparison: OutputComparison = OutputComparison(), compiler: Compiler = Compiler(),
                bindShapeInputs: Bool = true) {
        let node = directory.appendingPathComponent("node")
        var isDir: ObjCBool = false
        let hasNode = FileManager.default.fileExists(atPath: node.path, isDirectory: &isDir) && isDir.boolValue
        casesDirectory = hasNode ? node : directory
        self.target = target
        self.comparison = comparison
        self.compiler = compiler
        self.bindShapeInputs = bindShapeInputs
    }

    /// Case names (`test_*` folders holding a `model.onnx`), sorted.
    public func caseNames() throws -> [String] {
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: casesDirectory.path) } catch {
            throw RoostError.io("cannot list ONNX node tests in \(casesDirectory.path): \(error.localizedDescription); generate them with scripts/onnx-node-tests.sh")
        }
        return entries.filter {
            $0.hasPrefix("test_") && FileManager.default.fileExists(atPath: casesDirectory.appendingPathComponent($0).appendingPathComponent("model.onnx").path)
        }.sorted()
    }

    /// Runs every case whose name contains `filter` (all when nil). `willRun` is
    /// called before each case, so a caller can say which one was running if the
    /// process dies; `didRun` after each.
    public func run(filter: String? = nil, willRun: (String) -> Void = { _ in }, didRun: (CaseResult) -> Void = { _ in }) throws -> ConformanceReport {
        var results: [CaseResult] = []
        for name in try caseNames() where filter.map({ name.contains($0) }) ?? true {
            willRun(name)
            let result = runCase(named: name)
            didRun(result)
            results.append(result)
        }
        return ConformanceReport(results: results)
    }

    /// Runs one case; never throws.
    public func runCase(named name: String) -> CaseResult {
        let dir = casesDirectory.appendingPathComponent(name)
        let model: ONNXModel
        do { model = try ONNXModel.load(from: dir.appendingPathComponent("model.onnx")) } catch {
            return CaseResult(name: name, operators: [], outcome: outcome(for: error, stage: "model does not load"))
        }
        var operators: [String] = []
        for node in model.proto.graph.node where !operators.contains(node.opType) { operators.append(node.opType) }
        let result = { (outcome: CaseResult.Outcome) in CaseResult(name: name, operators: operators, outcome: outcome) }

        if let reason = Self.unsupportedValue(in: model) { return result(.skipped(reason)) }
        let session: InferenceSession
        do {
            session = try load(model, name: name)
        } catch {
            if bindShapeInputs, error.stage == "compile", case RoostError.unsupported(let message) = error.underlying,
               ShapeInputBinding.shouldBind(afterCompileError: message, graph: model.proto.graph) {
                return runBound(model, name: name, dir: dir, operators: operators)
            }
            return result(outcome(for: error.underlying, stage: error.stage))
        }
        do {
            let dataSets = try Self.numbered(in: dir, prefix: "test_data_set_", suffix: "")
            guard !dataSets.isEmpty else { return result(.failed("no test_data_set_* folder")) }
            for (index, set) in dataSets {
                let inputs = try Self.readInputs(set, graph: model.proto.graph)
                if let failure = try check(session, inputs: inputs, dataSet: set, label: "data set \(index)") {
                    return result(.failed(failure))
                }
            }
        } catch {
            return result(outcome(for: error, stage: "test data"))
        }
        return result(.passed)
    }

    /// A compile or artifact-load error, with the stage it came from.
    struct LoadError: Error {
        var stage: String
        var underlying: any Error
    }

    /// Compiles `model` and loads it through the codec, as agents receive artifacts.
    private func load(_ model: ONNXModel, name: String) throws(LoadError) -> InferenceSession {
        let artifact: Artifact
        do { artifact = try compiler.compile(model, name: name, target: target) } catch {
            throw LoadError(stage: "compile", underlying: error)
        }
        do {
            return try InferenceSession(artifact: try ArtifactCodec.decode(ArtifactCodec.encode(artifact)))
        } catch {
            throw LoadError(stage: "artifact does not load", underlying: error)
        }
    }

    /// Runs a case with its shape-like inputs bound: each data set's values for
    /// them become initializers, the model is compiled for that data set, and the
    /// other inputs are fed as usual.
    private func runBound(_ model: ONNXModel, name: String, dir: URL, operators: [String]) -> CaseResult {
        let bindable = ShapeInputBinding.bindableInputs(of: model.proto.graph)
        let result = { (outcome: CaseResult.Outcome) in
            CaseResult(name: name, operators: operators, outcome: outcome, boundInputs: bindable)
        }
        let stagePrefix = "with shape-like inputs bound"
        do {
            let dataSets = try Self.numbered(in: dir, prefix: "test_data_set_", suffix: "")
            guard !dataSets.isEmpty else { return result(.failed("no test_data_set_* folder")) }
            for (index, set) in dataSets {
                let label = "data set \(index)"
                var inputs = try Self.readInputs(set, graph: model.proto.graph)
                var values: [String: Onnx_TensorProto] = [:]
                for input in bindable {
                    guard let value = inputs.removeValue(forKey: input) else {
                        return result(.failed("\(label): no data for the bound input '\(input)'"))
                    }
                    values[input] = value.proto
                }
                let session: InferenceSession
                do { session = try load(ShapeInputBinding.bind(values, into: model), name: name) } catch {
                    return result(outcome(for: error.underlying, stage: "\(error.stage) (\(stagePrefix), \(label))"))
                }
                if let failure = try check(session, inputs: inputs, dataSet: set, label: "\(label), \(stagePrefix)") {
                    return result(.failed(failure))
                }
            }
        } catch {
            return result(outcome(for: error, stage: "test data (\(stagePrefix))"))
        }
        return result(.passed)
    }

    /// The data set's inputs by graph-input name: `input_j.pb` is the j-th graph
    /// input that is not an initializer; its tensor usually names it too.
    static func readInputs(_ dataSet: URL, graph: Onnx_GraphProto) throws -> [String: (proto: Onnx_TensorProto, tensor: HostTensor)] {
        let initializers = Set(graph.initializer.map(\.name))
        let names = graph.input.map(\.name).filter { !initializers.contains($0) }
        var inputs: [String: (proto: Onnx_TensorProto, tensor: HostTensor)] = [:]
        for (position, (_, url)) in try numbered(in: dataSet, prefix: "input_", suffix: ".pb").enumerated() {
            let (proto, tensor) = try readTensor(url)
            let name = names.contains(proto.name) ? proto.name : position < names.count ? names[position] : "input_\(position)"
            inputs[name] = (proto, tensor)
        }
        return inputs
    }

    /// Feeds one data set and compares every output; nil when all match.
    private func check(_ session: InferenceSession, inputs given: [String: (proto: Onnx_TensorProto, tensor: HostTensor)],
                       dataSet: URL, label: String) throws -> String? {
        let plan = session.artifact.plan
        let outputFiles = try Self.numbered(in: dataSet, prefix: "output_", suffix: ".pb")
        guard given.count == plan.inputs.count else {
            return "\(label): \(given.count) input files for \(plan.inputs.count) model inputs"
        }
        guard outputFiles.count == plan.outputs.count else {
            return "\(label): \(outputFiles.count) output files for \(plan.outputs.count) model outputs"
        }
        var inputs: [HostTensor] = []
        for io in plan.inputs {
            guard let tensor = given[io.name]?.tensor else { return "\(label): no input file for model input '\(io.name)'" }
            let shape = plan.values[io.valueID].shape
            guard tensor.shape == shape else {
                return "\(label): input '\(io.name)' data has shape \(tensor.shape), the model declares \(shape)"
            }
            inputs.append(tensor)
        }
        let outputs = try session.run(inputs)
        for (position, ((_, url), io)) in zip(outputFiles, plan.outputs).enumerated() {
            let (proto, expected) = try Self.readTensor(url)
            let type = ElementType(onnx: proto.dataType)
            guard position < outputs.count else { return "\(label): output '\(io.name)' missing" }
            if let why = comparison.mismatch(outputs[position], expected, exact: type.isInteger || type == .bool) {
                return "\(label): output '\(io.name)': \(why)"
            }
        }
        return nil
    }

    /// Maps an error to a skip (Roost says it does not support something) or a failure.
    func outcome(for error: any Error, stage: String) -> CaseResult.Outcome {
        guard case RoostError.unsupported(let message) = error else { return .failed("\(stage): \(error)") }
        return .skipped(Self.classify(message))
    }

    /// Sorts an `unsupported` message into its category by the wording the
    /// compiler, importer and tensor codec use.
    static func classify(_ message: String) -> SkipReason {
        if message.hasPrefix("operator ") {
            let op = message.dropFirst("operator ".count).prefix { $0 != " " }
            return SkipReason(.operator, String(op), message: message)
        }
        if message.hasPrefix("opset ") {
            let n = message.dropFirst("opset ".count).prefix { $0 != ":" }
            return SkipReason(.opset, String(n), message: message)
        }
        if message.contains("empty tensors are not supported") {
            return SkipReason(.other, "empty tensor", message: message)
        }
        if let range = message.range(of: "data type ") {
            let type = message[range.upperBound...].prefix { $0 != " " && $0 != ")" }
            return SkipReason(.dataType, String(type), message: message)
        }
        return SkipReason(.other, message, message: message)
    }

    /// A graph input or output Roost cannot hold: a sequence/map/optional/sparse
    /// value, or a tensor of strings, complex numbers, 8-bit or 4-bit floats, etc.
    static func unsupportedValue(in model: ONNXModel) -> SkipReason? {
        let g = model.proto.graph
        for (role, info) in g.input.map({ ("input", $0) }) + g.output.map({ ("output", $0) }) {
            switch info.type.value {
            case .tensorType(let t)?:
                let type = ElementType(onnx: t.elemType)
                guard type == .string || type == .undefined else { continue }
                let name = Onnx_TensorProto.DataType(rawValue: Int(t.elemType)).map { "\($0)" } ?? "code \(t.elemType)"
                return SkipReason(.dataType, name, message: "\(role) '\(info.name)' has data type \(name)")
            case nil:
                return SkipReason(.nonTensor, "untyped", message: "\(role) '\(info.name)' has no type")
            case let other?:
                let kind = switch other {
                case .sequenceType: "sequence"
                case .mapType: "map"
                case .optionalType: "optional"
                case .sparseTensorType: "sparse tensor"
                case .opaqueType: "opaque"
                case .tensorType: "tensor"
                }
                return SkipReason(.nonTensor, kind, message: "\(role) '\(info.name)' is a \(kind), not a tensor")
            }
        }
        return nil
    }

    static func readTensor(_ url: URL) throws -> (Onnx_TensorProto, HostTensor) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw RoostError.io("cannot read \(url.path): \(error.localizedDescription)") }
        let proto: Onnx_TensorProto
        do { proto = try Onnx_TensorProto(serializedBytes: data) } catch {
            throw RoostError.invalidArgument("\(url.lastPathComponent) is not an ONNX TensorProto: \(error)")
        }
        return (proto, try TensorProtoCodec.decode(proto))
    }

    /// Entries `PREFIXn SUFFIX` of a folder, ordered by n (so input_10 follows input_9).
    static func numbered(in dir: URL, prefix: String, suffix: String) throws -> [(Int, URL)] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir.path) } catch {
            throw RoostError.io("cannot list \(dir.path): \(error.localizedDescription)")
        }
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix(prefix), name.hasSuffix(suffix),
                  let n = Int(name.dropFirst(prefix.count).dropLast(suffix.count)) else { return nil }
            return (n, dir.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }
}
