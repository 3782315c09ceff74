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
    /// The shape-like graph inputs the runner bound as constants (from each test
    /// data set) because the model as given needs them at compile time; empty when
    /// the case ran as given. See `ShapeInputBinding`.
    public var boundInputs: [String]

    public init(name: String, operators: [String], outcome: Outcome, boundInputs: [String] = []) {
        self.name = name
        self.operators = operators
        self.outcome = outcome
        self.boundInputs = boundInputs
    }

    public var passed: Bool { outcome == .passed }
    /// Whether the outcome is for the model with shape-like inputs bound as constants.
    public var boundShapeInputs: Bool { !boundInputs.isEmpty }
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
