import RoostCore

/// What makes two results comparable: the same agent (a hardware class of
/// one), engine, thread count, batch and scenario. Rows with equal keys in the
/// current and baseline data are the ones a regression check compares.
public struct MatrixKey: Codable, Sendable, Hashable, Comparable {
    /// Agent names are unique in the scheduler, and survive re-enrolment, unlike agent ids.
    public var agent: String
    public var engine: String
    public var threads: Int
    public var batch: Int
    public var scenario: String

    public init(agent: String, engine: String, threads: Int, batch: Int, scenario: String) {
        self.agent = agent
        self.engine = engine
        self.threads = threads
        self.batch = batch
        self.scenario = scenario
    }

    /// Where a stored row sits in the matrix; fields the result lacks fall back to what the job asked for.
    public init(_ row: ReportRow) {
        let result = row.result
        self.init(
            agent: row.agent.name,
            engine: result.environment.engine.isEmpty ? row.target.engine : result.environment.engine,
            threads: result.environment.blasThreads ?? row.target.threads,
            batch: max(1, result.scenarioMetrics?.batch ?? 1),
            scenario: (result.scenario ?? .singleStream).rawValue)
    }

    /// Stable and readable: used as the row's id in JSON, CSV and anchors.
    public var id: String { "\(agent)/\(engine)/\(threads)t/b\(batch)/\(scenario)" }

    public static func < (a: MatrixKey, b: MatrixKey) -> Bool {
        (a.agent, a.engine, a.threads, a.batch, a.scenario) < (b.agent, b.engine, b.threads, b.batch, b.scenario)
    }
}
