import Foundation
import Testing
import RoostBench
import RoostCore
@testable import RoostAgent

@Suite struct AgentPartsTests {
    @Test func hostLockExcludesSecondHolder() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-lock-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        setenv("ROOST_LOCK_DIR", dir.path, 1)
        let lock = HostLock(machineID: "machine-a")
        let log = LockedBox<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<2 {
                group.addTask {
                    try await lock.withLock {
                        log.update { $0.append("enter\(i)") }
                        try await Task.sleep(for: .milliseconds(150))
                        log.update { $0.append("exit\(i)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let events = log.get()
        // Critical sections never interleave: every enter is followed by its own exit.
        #expect(events.count == 4)
        #expect(events[0].dropFirst(5) == events[1].dropFirst(4))
        #expect(events[2].dropFirst(5) == events[3].dropFirst(4))
        #expect(HostLock(machineID: "machine-b").file != lock.file)
    }

    @Test func credentialNamesAreValidated() {
        #expect(throws: RoostError.self) { try AgentCredentials.validate(name: "../etc") }
        #expect(throws: RoostError.self) { try AgentCredentials.validate(name: "") }
        #expect(throws: Never.self) { try AgentCredentials.validate(name: "pi-4.lab_1") }
    }

    /// The CA given at enrollment survives the file; files from before TLS load with none.
    @Test func credentialsKeepTheCACertificateAndOldFilesLoadWithout() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-creds-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = RoostHome(path: dir.path)
        try AgentCredentials(name: "tls", agentID: "a1", scheduler: "https://s:8740", credential: "agent_x", profile: nil,
                             caCertificate: "/etc/roost/ca.pem").save(home: home)
        #expect(try AgentCredentials.load(name: "tls", home: home).caCertificate == "/etc/roost/ca.pem")
        try Data(#"{"agentID":"a2","credential":"agent_y","name":"old","scheduler":"http://s:8740"}"#.utf8)
            .write(to: AgentCredentials.file(for: "old", home: home))
        let old = try AgentCredentials.load(name: "old", home: home)
        #expect(old.caCertificate == nil && old.scheduler == "http://s:8740")
    }

    @Test func workerEnvironmentForcesTheBLASCore() {
        let env = WorkerSupervisor.environment(for: TargetSpec(isa: .x86_64_avx512, blasCoreType: "SkylakeX", threads: 2))
        #expect(env["OPENBLAS_CORETYPE"] == "SkylakeX")
        #expect(env["OPENBLAS_NUM_THREADS"] == "2")
    }
}

@Suite struct WorkerSupervisorTests {
    @Test func aCrashingWorkerBecomesAnErrorResult() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("roost-sup-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // A "worker" that dies of SIGSEGV as soon as it starts.
        let supervisor = WorkerSupervisor(command: ["/bin/sh", "-c", "kill -SEGV $$", "worker"], scratch: scratch)
        let r = await supervisor.run(RoostBench.WorkerRequest(artifactPath: "/dev/null", spec: .quick), target: TargetSpec(isa: .generic, blasCoreType: nil, threads: 1))
        #expect(r.status == .error)
        #expect(r.errorMessage?.contains("signal 11") == true, "\(r.errorMessage ?? "")")
    }

    @Test func aHangingWorkerIsKilledAtItsDeadline() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("roost-sup-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let supervisor = WorkerSupervisor(command: ["/bin/sh", "-c", "sleep 900", "worker"], scratch: scratch)
        var spec = BenchmarkSpec.quick
        spec.timeoutSeconds = 0.5
        let start = Date()
        let r = await supervisor.run(RoostBench.WorkerRequest(artifactPath: "/dev/null", spec: spec), target: TargetSpec(isa: .generic, blasCoreType: nil, threads: 1))
        #expect(r.status == .error && r.errorMessage?.contains("timed out") == true)
        // Well before the sleep would end by itself (the test pool may be busy with other suites).
        #expect(Date().timeIntervalSince(start) < 300)
    }
}
