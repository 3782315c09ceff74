import Foundation
import RoostCore

/// What `roost agent enroll` leaves behind for `roost agent run`: who the agent
/// is, where its scheduler is, its secret credential (0600) and its profile.
public struct AgentCredentials: Codable, Sendable {
    public var name: String
    public var agentID: String
    public var scheduler: String
    public var credential: String
    public var profile: AgentProfile?
    /// The scheduler's artifact-signing public key (base64), from enrollment;
    /// nil in files written before artifacts were signed (learned at the next start).
    public var signingKey: String?
    /// The PEM file of the CA that signed an https scheduler's certificate
    /// (`--ca-cert` at enrollment, absolute), so `agent run` trusts the same CA;
    /// nil: the system trust store (or plain http).
    public var caCertificate: String?

    public init(name: String, agentID: String, scheduler: String, credential: String, profile: AgentProfile?, signingKey: String? = nil,
                caCertificate: String? = nil) {
        self.signingKey = signingKey
        self.caCertificate = caCertificate
        self.name = name
        self.agentID = agentID
        self.scheduler = scheduler
        self.credential = credential
        self.profile = profile
    }

    public static func file(for name: String, home: RoostHome) -> URL { home.path("agents", "\(name).json") }

    public func save(home: RoostHome) throws {
        try RoostHome.writeSecret(CanonicalJSON.pretty(self) + "\n", to: Self.file(for: name, home: home))
    }

    public static func load(name: String, home: RoostHome) throws -> AgentCredentials {
        let file = file(for: name, home: home)
        guard let data = try? Data(contentsOf: file) else {
            throw RoostError.notFound("no agent named '\(name)' is enrolled here (\(file.path)); run 'roost agent enroll' first")
        }
        do { return try CanonicalJSON.decode(AgentCredentials.self, from: data) } catch {
            throw RoostError.invalidArgument("\(file.path) is damaged: \(error)")
        }
    }

    /// Agent names become file names: keep them to a safe alphabet.
    public static func validate(name: String) throws {
        let ok = !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) } && !name.hasPrefix(".")
        guard ok else { throw RoostError.invalidArgument("agent name '\(name)' must be 1-64 characters of letters, digits, '-', '_' or '.'") }
    }
}
