import Foundation
import Logging
import Testing
import RoostCore
import RoostStore
import RoostTestDatabase
@testable import RoostScheduler

/// `docs/openapi.json` is the contract: the scheduler serves exactly it, and
/// every `/v1` route the router registers is described in it (and nothing else).
@Suite struct OpenAPIDocumentTests {
    static func committed() throws -> Data {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("docs/openapi.json")
            if FileManager.default.fileExists(atPath: candidate.path) { return try Data(contentsOf: candidate) }
            dir.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    /// `METHOD /path/{param}` for each operation in the document.
    static func operations(_ data: Data) throws -> Set<String> {
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var out: Set<String> = []
        for (path, item) in paths {
            for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) { out.insert("\(method.uppercased()) \(path)") }
        }
        return out
    }

    @Test func theServedDocumentIsTheCommittedFile() throws {
        let committed = try Self.committed()
        #expect(Data(OpenAPIDocument.json.utf8) == committed, "run scripts/embed-openapi.sh after editing docs/openapi.json")
    }

    @Test func everyOperationDeclaresItsErrorsAndRefsResolve() throws {
        let data = try Self.committed()
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let text = String(decoding: data, as: UTF8.self)
        // Every $ref names a schema that exists.
        let refs = text.components(separatedBy: "\"$ref\": \"#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(!refs.isEmpty)
        for ref in Set(refs) { #expect(schemas[ref] != nil, "unresolved $ref \(ref)") }
        for (path, item) in try #require(doc["paths"] as? [String: [String: Any]]) {
            for (method, value) in item where method != "parameters" {
                let operation = try #require(value as? [String: Any])
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                #expect(responses["500"] != nil, "\(method) \(path) declares no error body for 500")
                #expect(operation["security"] != nil, "\(method) \(path) says nothing about auth")
                if path != "/v1/openapi.json" && path != "/v1/agents/enroll" { #expect(responses["401"] != nil, "\(method) \(path)") }
            }
        }
    }

    @Test(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
    func everyRegisteredV1RouteIsInTheDocument() async throws {
        let described = try Self.operations(try Self.committed())
        let registered: Set<String> = try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: Logger(label: "roost.test"), migrate: true) { store in
                let server = SchedulerServer(config: SchedulerConfiguration(database: url), logger: Logger(label: "roost.test"))
                let router = server.buildRouter(store: store, signal: WorkSignal())
                return Set(router.routes.map { "\($0.method.rawValue) \($0.path)" }.filter { $0.contains(" /v1/") })
            }
        }
        #expect(registered.count >= 20)
        #expect(registered.contains("GET /v1/openapi.json"))
        #expect(registered.subtracting(described).isEmpty, "routes missing from docs/openapi.json: \(registered.subtracting(described).sorted())")
        #expect(described.subtracting(registered).isEmpty, "documented routes the scheduler lacks: \(described.subtracting(registered).sorted())")
    }
}
