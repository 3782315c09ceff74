/// Errors a user can act on. The message is what the CLI prints before exiting non-zero.
public enum RoostError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidArgument(String)
    case invalidModel(String)
    case unsupported(String)
    case invalidArtifact(String)
    case io(String)
    case http(status: Int, message: String)
    case database(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalidArgument(let m): "invalid argument: \(m)"
        case .invalidModel(let m): "invalid model: \(m)"
        case .unsupported(let m): "unsupported: \(m)"
        case .invalidArtifact(let m): "invalid artifact: \(m)"
        case .io(let m): m
        case .http(let s, let m): "HTTP \(s): \(m)"
        case .database(let m): "database: \(m)"
        case .notFound(let m): "not found: \(m)"
        }
    }
}
