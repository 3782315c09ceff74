/// Errors a user can act on. The message is what the CLI prints before exiting non-zero.
public enum RoostError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidArgument(String)
    case invalidModel(String)
    case unsupported(String)
    case invalidArtifact(String)
    case io(String)
    /// The peer could not be reached at all (connection refused, reset, timed out):
    /// unlike an HTTP error, trying again later may well succeed.
    case unreachable(String)
    /// The peer answered but its TLS certificate did not verify (unknown CA, wrong
    /// host name): waiting will not fix it, so nothing retries it.
    case tls(String)
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
        case .unreachable(let m): m
        case .tls(let m): m
        case .http(let s, let m): "HTTP \(s): \(m)"
        case .database(let m): "database: \(m)"
        case .notFound(let m): "not found: \(m)"
        }
    }

    /// Worth retrying after a pause: the peer was unreachable, or answered with a
    /// temporary condition (408, 429, 5xx). Everything else is an answer.
    public var isTransient: Bool {
        switch self {
        case .unreachable: true
        case .http(let status, _): status == 408 || status == 429 || status >= 500
        default: false
        }
    }
}
