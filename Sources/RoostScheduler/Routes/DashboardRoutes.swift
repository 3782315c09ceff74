import Foundation
import Hummingbird
import RoostCore
import RoostReport
import RoostStore

/// The farm in a browser: `/` (agents, queue depth, recent benchmarks, live)
/// and `/reports/MODEL` (the same self-contained HTML `roost report` writes).
/// Read-only; who may look is decided by `DashboardAccess`.
struct DashboardRoutes: Sendable {
    let store: any SchedulerStore
    let access: DashboardAccess

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { request, _ -> Response in
            if let denied = try await access.check(request) { return denied }
            async let agents = store.agents()
            async let counts = store.jobCountsByState()
            async let benchmarks = store.recentBenchmarks(limit: 20)
            let overview = FarmOverview(agents: try await agents, jobsByState: try await counts, benchmarks: try await benchmarks)
            return Self.html(FarmOverviewRenderer.html(overview, refreshSeconds: 2), cookie: access.cookie(for: request))
        }
        router.get("/reports/{model}") { request, context -> Response in
            if let denied = try await access.check(request) { return denied }
            let name = try context.parameters.decoded("model")
            guard let model = try await store.model(nameOrDigest: name) else {
                throw APIError.notFound("no model named or with digest '\(name)'")
            }
            let report = ReportBuilder.build(data: try await store.reportData(model: model, compareTo: nil))
            return Self.html(ReportRenderer.render(report, format: .html), cookie: access.cookie(for: request))
        }
    }

    static func html(_ text: String, cookie: String?) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A scheduler bound to loopback shows its dashboard to whoever can reach it
/// (only this machine); on any other address a token of any role (viewer and up) is required —
/// as a bearer header, a `roost_admin` cookie, or once as `?token=` (which sets the cookie).
struct DashboardAccess: Sendable {
    let open: Bool
    let auth: Authenticator
    /// Served over https: the token cookie is never sent back over plain http.
    let secure: Bool

    init(host: String, auth: Authenticator, secure: Bool = false) {
        open = ["127.0.0.1", "::1", "localhost"].contains(host)
        self.auth = auth
        self.secure = secure
    }

    /// Nil when the request may see the page, else the response to send instead.
    func check(_ request: Request) async throws -> Response? {
        if open { return nil }
        if let token = Self.token(request), (try? await auth.require(.viewer, token: token)) != nil { return nil }
        let body = "<!doctype html><title>Roost</title><p>The dashboard needs the admin token: open <code>/?token=…</code> with the contents of <code>$ROOST_HOME/admin.token</code>.</p>"
        return Response(status: .unauthorized, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// Remembers a `?token=` for the pages that follow.
    func cookie(for request: Request) -> String? {
        guard !open, let token = request.uri.queryParameters["token"].map(String.init) else { return nil }
        return "roost_admin=\(token); Path=/; HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    static func token(_ request: Request) -> String? {
        if let bearer = Authenticator.bearer(request) { return bearer }
        if let query = request.uri.queryParameters["token"], !query.isEmpty { return String(query) }
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0] == "roost_admin" { return String(kv[1]) }
            }
        }
        return nil
    }
}
