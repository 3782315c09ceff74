import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import RoostCore
import RoostTestDatabase
import RoostTestSupport

/// The scheduler's web dashboard in a real browser: headless Chromium loads
/// `/` and `/reports/MODEL` from a live farm, the rendered DOM must hold the
/// agents, the matrix and the recommendation, and screenshots are kept in
/// `.build/test-artifacts/`.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason),
       .enabled(if: TestEnvironment.chromium != nil, TestEnvironment.chromiumSkipReason))
struct DashboardBrowserTests {
    @Test func dashboardAndReportRenderInHeadlessChromium() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-dash")
            defer { farm.stop() }
            try farm.addAgent("dash-small", profileJSON: #"{"tags": {"suite": "dash"}, "pricePerHour": 0.05, "cpus": 1}"#)
            try farm.addAgent("dash-large", profileJSON: #"{"tags": {"suite": "dash"}, "pricePerHour": 0.10, "cpus": 2}"#)
            let (out, status) = try farm.queueAndWait(try ShippedModels.mlp(in: farm.home.appendingPathComponent("models")),
                                                      ["--targets", "suite=dash", "--min-seconds", "0.3"])
            #expect(out.status == 0, "\(out.stderr)\n\(farm.logs)")
            #expect(status?.jobs.count == 2)

            let artifacts = try TestEnvironment.artifactsDirectory()
            let front = try Self.render("\(farm.scheduler)/", screenshot: artifacts.appendingPathComponent("dashboard.png"))
            #expect(front.contains("dash-small") && front.contains("dash-large"), "\(front.prefix(2000))")
            #expect(front.contains("mlp-mnist") && front.contains("/reports/mlp-mnist"))
            #expect(front.contains("succeeded"))

            let report = try Self.render("\(farm.scheduler)/reports/mlp-mnist", screenshot: artifacts.appendingPathComponent("report-mlp-mnist.png"))
            #expect(report.contains("<table"), "no matrix table in \(report.prefix(2000))")
            #expect(report.contains("Recommendation"), "no recommendation in \(report.prefix(2000))")
            #expect(report.contains("dash-small") && report.contains("dash-large"))
            #expect(report.contains("<svg"), "no inline chart")
            for png in ["dashboard.png", "report-mlp-mnist.png"] {
                let size = (try FileManager.default.attributesOfItem(atPath: artifacts.appendingPathComponent(png).path)[.size] as? Int) ?? 0
                #expect(size > 10_000, "\(png) is \(size) bytes")
            }
            print("dashboard screenshots: \(artifacts.path)/dashboard.png, report-mlp-mnist.png")

            // Unknown models are a 404 page, not a crash.
            let missing = try await RoostClientProbe.status("\(farm.scheduler)/reports/no-such-model")
            #expect(missing == 404)
        }
    }

    /// The DOM after Chromium ran the page, and a screenshot of it.
    static func render(_ url: String, screenshot: URL) throws -> String {
        let chromium = try #require(TestEnvironment.chromium)
        let profile = try TestEnvironment.temporaryDirectory("roost-chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                      "--user-data-dir=\(profile.path)", "--window-size=1400,1800", "--hide-scrollbars"]
        let dom = try ProcessRunner().run(chromium, common + ["--dump-dom", url], timeout: 120)
        try #require(dom.succeeded, "chromium --dump-dom failed: \(dom.stderr.suffix(2000))")
        let shot = try ProcessRunner().run(chromium, common + ["--screenshot=\(screenshot.path)", url], timeout: 120)
        try #require(shot.succeeded, "chromium --screenshot failed: \(shot.stderr.suffix(2000))")
        return dom.stdout
    }
}

/// A bare GET for a status code, without the API client's JSON expectations.
enum RoostClientProbe {
    static func status(_ url: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
