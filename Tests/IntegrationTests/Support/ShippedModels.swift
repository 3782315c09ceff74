import Foundation
import RoostONNX

/// The shipped MLP for farm tests that need a small real model but do not test
/// `roost models generate` itself (CompileCLITests and FarmEndToEndTests do):
/// the same `mlp-mnist/model.onnx` and `test_data_set_0` that command writes
/// (`ReferenceSuite.write(to:)` gives the first model seed 2026), without the
/// two larger models it also writes, whose weights and plain-loop reference
/// outputs take the debug binary about 7 s per call.
enum ShippedModels {
    /// Writes `DIRECTORY/mlp-mnist/{model.onnx,test_data_set_0}`; returns the model's path.
    static func mlp(in directory: URL) throws -> URL {
        try ReferenceSuite.write(ReferenceSuite.models[0], to: directory, seed: 2026)
    }
}
