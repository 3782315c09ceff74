import Hummingbird
import Logging
import RoostCore
import RoostStore

/// `GET /metrics` for Prometheus. The job and agent gauges are read from the
/// database at scrape time, so they are right whichever scheduler changed the
/// rows; counters and histograms are this process's own since it started.
/// Who may scrape is decided like the dashboard: open on loopback, else the
/// a token of any role (viewer and up) as a bearer credential.
struct MetricsRoutes: Sendable {
    let store: any SchedulerStore
    let metrics: SchedulerMetrics
    let access: DashboardAccess

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { request, context -> Response in
            if !access.open {
                try await access.auth.require(.viewer, request)
            }
            await refresh(context.logger)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }

    /// A database error still answers the scrape (counters stay useful) and is counted.
    private func refresh(_ logger: Logger) async {
        do {
            metrics.setJobs(try await store.jobCountsByState())
            var agents: [String: Int] = [:]
            for a in try await store.agentStatuses(offlineAfterSeconds: AgentState.offlineAfterSeconds) { agents[a.status ?? a.state, default: 0] += 1 }
            metrics.setAgents(agents)
        } catch {
            metrics.refreshFailed()
            logger.error("metrics refresh failed", metadata: ["error": "\(error)"])
        }
    }
}
