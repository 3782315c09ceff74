import RoostCore

/// Finds NVIDIA GPUs by combining the `nvidia-smi` outputs a source can give.
///
/// No single output has everything: the CSV query (what the live agent runs) lacks the
/// CUDA version, old CSV recordings lack `memory.total`, and recordings may hold only
/// XML or text. The first output that lists GPUs decides how many there are; the others
/// fill missing fields GPU by GPU, and are only asked for when something is missing,
/// so a healthy live machine runs `nvidia-smi` twice at most (query, `--version`).
struct GPUProbe {
    let source: any ProbeSource

    func probe() -> [GPUDevice] {
        let queryText = source.run(.nvidiaSMIQueryGPU) ?? ""
        let xml = Lazy { NvidiaSMIParser.xml(source.run(.nvidiaSMIXML) ?? "") }
        let text = Lazy { NvidiaSMIParser.text(source.run(.nvidiaSMIText) ?? "") }

        var gpus = NvidiaSMIParser.queryCSV(queryText)
        var queryWasBase = true
        if gpus.isEmpty { gpus = xml.value; queryWasBase = false }
        if gpus.isEmpty { gpus = text.value }
        guard !gpus.isEmpty else { return [] }

        if gpus.contains(where: { $0.cudaVersion == nil || $0.driverVersion == nil }),
           let version = source.run(.nvidiaSMIVersion).map(NvidiaSMIParser.version) {
            for index in gpus.indices {
                gpus[index].driverVersion = gpus[index].driverVersion ?? version.driver
                gpus[index].cudaVersion = gpus[index].cudaVersion ?? version.cuda
            }
        }
        for other in [xml, text] where gpus.contains(where: Self.isIncomplete) {
            gpus = Self.fill(gpus, from: other.value)
        }
        if queryWasBase, gpus.contains(where: { $0.memoryMiB == nil }) {
            gpus = Self.fill(gpus, from: NvidiaSMIParser.queryCSV(queryText, estimateMissingTotal: true))
        }
        return gpus
    }

    private static func isIncomplete(_ gpu: GPUDevice) -> Bool {
        gpu.memoryMiB == nil || gpu.driverVersion == nil || gpu.cudaVersion == nil
    }

    /// Fills nil fields from another listing of the same GPUs (same count, same order).
    private static func fill(_ gpus: [GPUDevice], from other: [GPUDevice]) -> [GPUDevice] {
        guard other.count == gpus.count else { return gpus }
        return zip(gpus, other).map { gpu, extra in
            var gpu = gpu
            gpu.memoryMiB = gpu.memoryMiB ?? extra.memoryMiB
            gpu.driverVersion = gpu.driverVersion ?? extra.driverVersion
            gpu.cudaVersion = gpu.cudaVersion ?? extra.cudaVersion
            return gpu
        }
    }
}

/// Computes a value on first use; lets `GPUProbe` skip `nvidia-smi` runs it does not need.
private final class Lazy<Value> {
    private let make: () -> Value
    private var cached: Value?
    init(_ make: @escaping () -> Value) { self.make = make }
    var value: Value {
        if let cached { return cached }
        let made = make()
        cached = made
        return made
    }
}
