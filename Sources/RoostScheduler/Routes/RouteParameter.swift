import Hummingbird

extension Parameters {
    /// A path parameter percent-decoded (Hummingbird hands them over as sent):
    /// `/v1/reports/a%20b` is the model `a b`. Malformed escapes are a 400.
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        guard let value = raw.removingPercentEncoding else {
            throw APIError(.badRequest, "path parameter '\(name)' is not valid percent-encoding", field: name)
        }
        return value
    }
}
