import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCore

/// `roost token create --enroll`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage enrollment tokens (admin).", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a one-time enrollment token and print it.")
        @Flag(help: "An agent enrollment token (the only kind today).") var enroll = false
        @Option(help: "Lifetime, e.g. 30m, 1h, 2d.") var expires = "1h"
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                guard enroll else { throw RoostError.invalidArgument("say which kind of token: --enroll") }
                let reply = try await admin.client().createEnrollmentToken(ttlSeconds: try DurationParser.seconds(expires))
                print(reply.token)
            }
        }
    }
}
