import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCore

/// `roost token create|list|revoke`: scoped user tokens (admin, submitter,
/// viewer) and one-time agent enrollment tokens (`--role agent`, or the older
/// `--enroll`). Needs an admin token.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Create, list and revoke tokens (admin).",
                                                    subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret (shown only this once).",
            discussion: """
                Roles: admin (everything), submitter (upload, queue, cancel its own, read), viewer (reports, status, \
                dashboard), agent (a one-time enrollment token for 'roost agent enroll'; default lifetime 1h).
                """)
        @Option(help: "admin, submitter, viewer or agent.") var role: String?
        @Flag(help: "An agent enrollment token (the same as --role agent).") var enroll = false
        @Option(help: "Lifetime, e.g. 30m, 1h, 2d (default: never for user tokens, 1h for enrollment tokens).") var expires: String?
        @Option(help: "A name to recognise the token by in 'roost token list'.") var name: String?
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                let kind = role ?? (enroll ? "agent" : nil)
                guard let kind else { throw RoostError.invalidArgument("say which kind of token: --role admin|submitter|viewer|agent") }
                if enroll, kind != "agent" { throw RoostError.invalidArgument("--enroll makes an agent token; it cannot be combined with --role \(kind)") }
                let ttl = try expires.map(DurationParser.seconds)
                if kind == "agent" {
                    let reply = try await admin.client().createEnrollmentToken(ttlSeconds: ttl ?? 3600)
                    print(reply.token)
                    return
                }
                guard let role = TokenRole(rawValue: kind) else {
                    throw RoostError.invalidArgument("unknown role '\(kind)': use admin, submitter, viewer or agent")
                }
                let created = try await admin.client().createToken(CreateTokenRequest(role: role, name: name, expiresInSeconds: ttl))
                print(created.token)
                let until = created.info.expiresAt.map { "expires \(ISO8601DateFormatter().string(from: $0))" } ?? "never expires"
                FileHandle.standardError.write(Data("token \(created.info.id) (\(role.rawValue), '\(created.info.name)', \(until))\n".utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every user token: id, name, role, status, expiry. Never the secrets.")
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                let tokens = try await admin.client().tokens()
                if json { print(CanonicalJSON.pretty(tokens)); return }
                let f = ISO8601DateFormatter()
                let rows = [["ID", "NAME", "ROLE", "STATUS", "CREATED", "EXPIRES"]] + tokens.map {
                    [$0.id, $0.name, $0.role.rawValue, $0.status(), f.string(from: $0.createdAt), $0.expiresAt.map(f.string) ?? "never"]
                }
                let widths = (0..<6).map { c in rows.map { $0[c].count }.max() ?? 0 }
                for row in rows {
                    print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id: refused from the next request on.")
        @Argument(help: "Token id (from 'roost token list').") var id: String
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                guard UUID(uuidString: id) != nil else { throw RoostError.invalidArgument("'\(id)' is not a token id (see 'roost token list')") }
                let info = try await admin.client().revokeToken(id: id)
                print("\(info.id) (\(info.role.rawValue), '\(info.name)'): revoked")
            }
        }
    }
}
