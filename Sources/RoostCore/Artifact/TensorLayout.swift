/// How a 4-D activation of a conv network is laid out in memory. ONNX defines
/// every tensor as NCHW; the compiler may keep a region of the network
/// channels-last (NHWC), where a pixel's channels are one contiguous vector, and
/// records it on the steps that read or write such values (attributes
/// `inputLayout` / `outputLayout`; absent means NCHW) and in the values' shapes.
public enum TensorLayout: String, Sendable, Codable {
    case nchw, nhwc

    public static let inputAttribute = "inputLayout"
    public static let outputAttribute = "outputLayout"

    /// The layout a step records under `key`, or nil when the value names no layout.
    public static func of(_ step: PlanStep, _ key: String) -> TensorLayout? {
        guard let raw = step.attributes[key] else { return .nchw }
        return raw.string.flatMap(TensorLayout.init(rawValue:))
    }
}
