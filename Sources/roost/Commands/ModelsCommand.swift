import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostONNX

/// `roost models generate`: writes the reference models Roost ships.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "models", abstract: "The reference models Roost ships.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the reference suite (model.onnx + test_data_set_0) into a directory.")
        @Option(help: "Output directory.") var out = "models"

        func run() throws {
            try runReportingErrors {
                for url in try ReferenceSuite.write(to: URL(fileURLWithPath: out)) { print(url.path) }
            }
        }
    }
}
