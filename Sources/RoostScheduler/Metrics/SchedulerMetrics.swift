import CoreMetrics
import Prometheus
import RoostCore

/// The scheduler's Prometheus registry and the series Roost records itself.
/// One instance per server, handed to the routes: nothing here is global, so
/// two schedulers in one test process never share counters. The entry point
/// (`roost scheduler serve`) may bootstrap swift-metrics with `factory`, which
/// writes into the same registry, so library metrics (Hummingbird's per-route
/// request counters) are scraped alongside.
public struct SchedulerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Jobs handed to an agent.
    let leasesGranted: Prometheus.Counter
    /// One batch lease statement (`FOR UPDATE SKIP LOCKED`, see `StatementBatcher`),
    /// each time it runs, whether it found jobs or not: the database cost of leasing.
    let leaseQuery: DurationHistogram
    /// Agents served by one lease statement (see `LeaseBatcher`): 1 on an idle
    /// farm, larger as more agents poll at once.
    let leaseBatchSize: ValueHistogram
    /// Results accepted by one statement and commit.
    let resultBatchSize: ValueHistogram
    /// A whole `POST /v1/jobs/lease` as the scheduler sees it: auth, heartbeat and
    /// every lease attempt, plus any long-poll wait. `outcome="leased"` is the
    /// latency an agent sees when work is queued; `outcome="empty"` is dominated
    /// by the wait the agent asked for.
    let leaseRequestLeased: DurationHistogram
    let leaseRequestEmpty: DurationHistogram
    private let results: [String: Prometheus.Counter]
    private let refreshErrors: Prometheus.Counter

    static let jobStates = ["queued", "leased", "running", "succeeded", "failed", "error", "cancelled", "exported"]
    static let agentStates = ["active", "draining", "paused", "degraded", "quarantined", "offline"]
    static let validities = ["valid", "invalid", "error"]

    private static let queryBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
    ]
    private static let requestBuckets: [Duration] = queryBuckets + [.seconds(5), .seconds(10), .seconds(30)]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        leasesGranted = registry.makeCounter(descriptor: .init(
            namespace: "roost", metricName: "leases_granted", unitName: "total", helpText: "Jobs leased to an agent."))
        leaseQuery = registry.makeDurationHistogram(descriptor: .init(
            namespace: "roost", metricName: "lease_query_duration", unitName: "seconds",
            helpText: "Time of one lease statement (FOR UPDATE SKIP LOCKED) against the database, hit or miss."),
            buckets: Self.queryBuckets)
        // A count has no unit: an empty `unitName` adds no suffix to the name.
        leaseBatchSize = registry.makeValueHistogram(descriptor: .init(
            namespace: "roost", metricName: "lease_batch_size", unitName: "",
            helpText: "Lease attempts served by one lease statement."), buckets: [1, 2, 4, 8, 16, 32, 64, 128])
        resultBatchSize = registry.makeValueHistogram(descriptor: .init(
            namespace: "roost", metricName: "result_batch_size", unitName: "",
            helpText: "Result uploads accepted or refused by one statement."), buckets: [1, 2, 4, 8, 16, 32, 64, 128])
        let request = MetricNameDescriptor(
            namespace: "roost", metricName: "lease_request_duration", unitName: "seconds",
            helpText: "Time from a lease request's arrival (or a result upload's that asked for the next job) to its response, including the long-poll wait; outcome=leased or empty.")
        leaseRequestLeased = registry.makeDurationHistogram(descriptor: request, labels: [("outcome", "leased")], buckets: Self.requestBuckets)
        leaseRequestEmpty = registry.makeDurationHistogram(descriptor: request, labels: [("outcome", "empty")], buckets: Self.requestBuckets)
        let resultsName = MetricNameDescriptor(
            namespace: "roost", metricName: "results", unitName: "total",
            helpText: "Results accepted, by validity: valid, invalid (the harness found a reason), error.")
        var results: [String: Prometheus.Counter] = [:]
        for v in Self.validities { results[v] = registry.makeCounter(descriptor: resultsName, labels: [("validity", v)]) }
        self.results = results
        refreshErrors = registry.makeCounter(descriptor: .init(
            namespace: "roost", metricName: "metrics_refresh_errors", unitName: "total",
            helpText: "Scrapes whose job and agent gauges could not be read from the database."))
        // Every series exists from the first scrape, at zero.
        setJobs([:])
        setAgents([:])
    }

    /// A swift-metrics factory over this registry, for `MetricsSystem.bootstrap`
    /// in the process entry point (never in library code).
    public var factory: any MetricsFactory { PrometheusMetricsFactory(registry: registry) }

    func recordResult(_ result: BenchmarkResult) {
        let validity = result.status != .succeeded ? "error" : (result.isValid ? "valid" : "invalid")
        results[validity]?.increment()
    }

    /// Job counts by state; states absent from `counts` read 0.
    func setJobs(_ counts: [String: Int]) {
        set(gauge: .init(namespace: "roost", metricName: "jobs", unitName: "", helpText: "Jobs by state, read from the database at scrape time."),
            known: Self.jobStates, counts)
    }

    /// Agent counts by status (`offline` when heartbeats stopped); absent ones read 0.
    func setAgents(_ counts: [String: Int]) {
        set(gauge: .init(namespace: "roost", metricName: "agents", unitName: "", helpText: "Agents by state, read from the database at scrape time."),
            known: Self.agentStates, counts)
    }

    func refreshFailed() { refreshErrors.increment() }

    /// The Prometheus text exposition format (version 0.0.4).
    func exposition() -> [UInt8] { registry.emitToBuffer() }

    private func set(gauge descriptor: MetricNameDescriptor, known: [String], _ counts: [String: Int]) {
        for state in Set(known).union(counts.keys) {
            registry.makeGauge(descriptor: descriptor, labels: [("state", state)]).set(Double(counts[state] ?? 0))
        }
    }
}
