import ArgumentParser
import Foundation
import RoostCore
import RoostRuntime
import RoostScheduler

extension SchedulerCommand {
    /// `roost scheduler reference`: the child process in which a scheduler
    /// computes a fallback accuracy reference (see `ReferenceWorker`). Started
    /// by the scheduler, never by hand.
    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute a model's fallback accuracy reference (started by the scheduler).", shouldDisplay: false)

        @Option(help: "The ONNX model.") var model: String
        @Option(help: "The model's name, for messages.") var name: String
        @Option(help: "Where to write the reference JSON.") var out: String
        @Option(help: "Cap this process's address space (MiB) before loading the model.") var memoryLimitMB: Int?

        func run() throws {
            if let memoryLimitMB { try AddressSpaceLimit.applyBeforeRunningModels(megabytes: memoryLimitMB) }
            let content = try Data(contentsOf: URL(fileURLWithPath: model))
            let reference = try ReferenceBuilder.build(model: content, name: name)
            try CanonicalJSON.encode(reference).write(to: URL(fileURLWithPath: out))
        }
    }
}

extension SchedulerCommand.Serve {
    /// This executable, with the reference subcommand.
    static func referenceCommand() -> [String] {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return [exe, "scheduler", "reference"]
    }
}
