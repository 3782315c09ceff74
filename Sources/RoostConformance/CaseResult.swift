/// The outcome of one ONNX backend node test case.
public struct CaseResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case passed
        /// A supported model that compiled or ran wrongly: something to fix.
        case failed(String)
        /// The case uses something Roost does not claim to support.
        case skipped(SkipReason)
    }

    public var name: String
    /// Distinct operator types in the case's model, in order of first use.
    public var operators: [String]
    public var outcome: Outcome

    public init(name: String, operators: [String], outcome: Outcome) {
        self.name = name
        self.operators = operators
        self.outcome = outcome
    }

    public var passed: Bool { outcome == .passed }
}

/// Why a case was not run, grouped so the summary shows what is missing.
public struct SkipReason: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable, Comparable {
        case `operator` = "unsupported operator"
        case opset = "unsupported opset"
        case dataType = "unsupported data type"
        case nonTensor = "non-tensor value"
        case other = "other unsupported feature"

        /// Summary order: the order of declaration.
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
        private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    }

    public var category: Category
    /// The specific thing: an operator type, an opset number, a data type name.
    public var detail: String
    /// The full message, for `--verbose`.
    public var message: String

    public init(_ category: Category, _ detail: String, message: String) {
        self.category = category
        self.detail = detail
        self.message = message
    }
}
