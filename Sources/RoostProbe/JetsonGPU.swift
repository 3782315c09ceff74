import RoostCore

/// Recognizes an NVIDIA Jetson (Tegra SoC) and names its integrated GPU.
///
/// Jetsons have no discrete card and, before JetPack 6, no `nvidia-smi`, yet they are
/// the reason many ARM agents exist, so the probe infers the GPU from what the board
/// does say: the device-tree model, the cpuinfo `Hardware` line, NVIDIA-designed CPU
/// cores (Denver, Carmel), or a recorded `tegrastats` line. The integrated GPU shares
/// system RAM, so no dedicated memory size is reported.
public enum JetsonGPU {
    /// A GPU entry such as `NVIDIA Tegra Maxwell (Jetson Nano Developer Kit)`, or nil when
    /// nothing points at a Tegra SoC.
    public static func detect(board: String?, hardware: String?, armCores: [String], tegrastats: Bool) -> GPUDevice? {
        let text = [board, hardware].compactMap { $0?.lowercased() }.joined(separator: " ")
        let nvidiaCores = armCores.contains { $0.hasPrefix("Denver") || $0 == "Carmel" }
        let isTegra = text.contains("jetson") || text.contains("tegra") || nvidiaCores || tegrastats
            || (text.contains("nvidia") && (text.contains("orin") || text.contains("xavier")))
        guard isTegra else { return nil }

        let generation: String?
        if text.contains("orin") {
            generation = "Ampere"
        } else if text.contains("xavier") || armCores.contains("Carmel") {
            generation = "Volta"
        } else if text.contains("tx2") || armCores.contains(where: { $0.hasPrefix("Denver") }) {
            generation = "Pascal"
        } else if text.contains("nano") || text.contains("tx1") {
            generation = "Maxwell"
        } else {
            generation = nil
        }
        var label = board ?? hardware ?? "Jetson"
        if label.hasPrefix("NVIDIA ") { label.removeFirst("NVIDIA ".count) }
        let name = ["NVIDIA Tegra", generation].compactMap { $0 }.joined(separator: " ") + " (\(label))"
        return GPUDevice(name: name)
    }
}
