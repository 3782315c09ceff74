import Foundation

/// Checks every string, list and number of a decoded request against
/// `InputLimits` by walking it the way an encoder would. One generic gate behind
/// each route's decoding: a field added to a wire type later is bounded without
/// anyone remembering to, and no number that is not finite gets past it.
///
/// Limits are looked up by the field's name (the nearest key of the path, so
/// `reasons[3]` is limited as `reasons`); a field not named gets
/// `InputLimits.textBytes` or `InputLimits.listCount`.
public struct InputCheck: Sendable {
    /// Byte limits of strings (and of the values of `[String: String]` maps), by field name.
    public var stringLimits: [String: Int]
    /// Count limits of lists and maps, by field name.
    public var countLimits: [String: Int]
    /// Byte limits of the keys of `[String: String]` maps, by field name.
    public var keyLimits: [String: Int]

    public init(stringLimits: [String: Int], countLimits: [String: Int], keyLimits: [String: Int]) {
        self.stringLimits = stringLimits
        self.countLimits = countLimits
        self.keyLimits = keyLimits
    }

    /// The limits of every `/v1` body.
    public static let standard = InputCheck(
        stringLimits: [
            "phase": InputLimits.phaseBytes, "reason": InputLimits.reasonBytes, "reasons": InputLimits.reasonBytes,
            "errorMessage": InputLimits.errorMessageBytes, "error": InputLimits.errorMessageBytes, "name": InputLimits.agentNameBytes,
            "tags": InputLimits.tagValueBytes, "leaseToken": InputLimits.tokenBytes, "token": InputLimits.tokenBytes,
        ],
        countLimits: ["reasons": InputLimits.reasonCount, "tags": InputLimits.tagCount, "samplesMs": InputLimits.hardMaxSamples],
        keyLimits: ["tags": InputLimits.tagKeyBytes])

    /// These limits with at most `samples` samples per result.
    public func allowing(samples: Int) -> InputCheck {
        var copy = self
        copy.countLimits["samplesMs"] = samples
        return copy
    }

    /// Throws the first field over its limit, or the first number that is not finite.
    public func validate<T: Encodable>(_ value: T, root: String = "") throws {
        try Walker(check: self, path: root, field: root).visit(value, path: root, field: root)
    }

    func stringLimit(_ field: String) -> Int { stringLimits[field] ?? InputLimits.textBytes }
    func countLimit(_ field: String) -> Int { countLimits[field] ?? InputLimits.listCount }
}

/// The encoder that does no encoding: it only looks.
private final class Walker: Encoder {
    let check: InputCheck
    /// Where we are, for messages (`result.statistics.p50`), and the field name limits are looked up by.
    let path: String
    let field: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(check: InputCheck, path: String, field: String) {
        self.check = check
        self.path = path
        self.field = field
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func string(_ s: String, path: String, field: String) throws {
        let limit = check.stringLimit(field)
        let bytes = s.utf8.count
        if bytes > limit { throw InputViolation.tooLong(path, bytes: bytes, limit: limit) }
    }

    func number(_ d: Double, path: String) throws {
        guard d.isFinite else { throw InputViolation(.invalid, field: path, message: "\(path) must be a finite number") }
    }

    func count(_ n: Int, path: String, field: String) throws {
        let limit = check.countLimit(field)
        if n > limit { throw InputViolation.tooMany(path, count: n, limit: limit) }
    }

    /// Fast paths for the shapes that are large (samples, lists of strings, tag maps); everything else is walked.
    func visit<T: Encodable>(_ value: T, path: String, field: String) throws {
        switch value {
        case let s as String: try string(s, path: path, field: field)
        case let d as Double: try number(d, path: path)
        case let f as Float: try number(Double(f), path: path)
        case let a as [Double]:
            try count(a.count, path: path, field: field)
            for (i, d) in a.enumerated() where !d.isFinite { try number(d, path: "\(path)[\(i)]") }
        case let a as [String]:
            try count(a.count, path: path, field: field)
            for (i, s) in a.enumerated() { try string(s, path: "\(path)[\(i)]", field: field) }
        case let m as [String: String]:
            try count(m.count, path: path, field: field)
            let keyLimit = check.keyLimits[field] ?? InputLimits.textBytes
            for (k, v) in m {
                if k.utf8.count > keyLimit { throw InputViolation.tooLong("\(path) key '\(k.prefix(40))…'", bytes: k.utf8.count, limit: keyLimit) }
                try string(v, path: "\(path).\(k.prefix(40))", field: field)
            }
        default:
            try value.encode(to: Walker(check: check, path: path, field: field))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(walker: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(walker: self) }
    func singleValueContainer() -> any SingleValueEncodingContainer { Single(walker: self) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let walker: Walker
        var codingPath: [any CodingKey] { [] }
        func at(_ key: Key) -> String { Walker.join(walker.path, key.stringValue) }
        mutating func encodeNil(forKey key: Key) throws {}
        mutating func encode(_ value: Bool, forKey key: Key) throws {}
        mutating func encode(_ value: String, forKey key: Key) throws { try walker.string(value, path: at(key), field: key.stringValue) }
        mutating func encode(_ value: Double, forKey key: Key) throws { try walker.number(value, path: at(key)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { try walker.number(Double(value), path: at(key)) }
        mutating func encode(_ value: Int, forKey key: Key) throws {}
        mutating func encode(_ value: Int8, forKey key: Key) throws {}
        mutating func encode(_ value: Int16, forKey key: Key) throws {}
        mutating func encode(_ value: Int32, forKey key: Key) throws {}
        mutating func encode(_ value: Int64, forKey key: Key) throws {}
        mutating func encode(_ value: UInt, forKey key: Key) throws {}
        mutating func encode(_ value: UInt8, forKey key: Key) throws {}
        mutating func encode(_ value: UInt16, forKey key: Key) throws {}
        mutating func encode(_ value: UInt32, forKey key: Key) throws {}
        mutating func encode(_ value: UInt64, forKey key: Key) throws {}
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try walker.visit(value, path: at(key), field: key.stringValue)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(walker: Walker(check: walker.check, path: at(key), field: key.stringValue)))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Unkeyed(walker: Walker(check: walker.check, path: at(key), field: key.stringValue))
        }
        mutating func superEncoder() -> any Encoder { walker }
        mutating func superEncoder(forKey key: Key) -> any Encoder { Walker(check: walker.check, path: at(key), field: key.stringValue) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let walker: Walker
        var count = 0
        var codingPath: [any CodingKey] { [] }
        init(walker: Walker) { self.walker = walker }

        /// The next element's path, after counting it against the list's limit.
        mutating func next() throws -> String {
            count += 1
            try walker.count(count, path: walker.path, field: walker.field)
            return "\(walker.path)[\(count - 1)]"
        }
        mutating func encodeNil() throws { _ = try next() }
        mutating func encode(_ value: Bool) throws { _ = try next() }
        mutating func encode(_ value: String) throws { try walker.string(value, path: try next(), field: walker.field) }
        mutating func encode(_ value: Double) throws { try walker.number(value, path: try next()) }
        mutating func encode(_ value: Float) throws { try walker.number(Double(value), path: try next()) }
        mutating func encode(_ value: Int) throws { _ = try next() }
        mutating func encode(_ value: Int8) throws { _ = try next() }
        mutating func encode(_ value: Int16) throws { _ = try next() }
        mutating func encode(_ value: Int32) throws { _ = try next() }
        mutating func encode(_ value: Int64) throws { _ = try next() }
        mutating func encode(_ value: UInt) throws { _ = try next() }
        mutating func encode(_ value: UInt8) throws { _ = try next() }
        mutating func encode(_ value: UInt16) throws { _ = try next() }
        mutating func encode(_ value: UInt32) throws { _ = try next() }
        mutating func encode(_ value: UInt64) throws { _ = try next() }
        mutating func encode<T: Encodable>(_ value: T) throws { try walker.visit(value, path: try next(), field: walker.field) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            count += 1
            return KeyedEncodingContainer(Keyed<NestedKey>(walker: Walker(check: walker.check, path: "\(walker.path)[\(count - 1)]", field: walker.field)))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            count += 1
            return Unkeyed(walker: Walker(check: walker.check, path: "\(walker.path)[\(count - 1)]", field: walker.field))
        }
        mutating func superEncoder() -> any Encoder { walker }
    }

    struct Single: SingleValueEncodingContainer {
        let walker: Walker
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws {}
        mutating func encode(_ value: Bool) throws {}
        mutating func encode(_ value: String) throws { try walker.string(value, path: walker.path, field: walker.field) }
        mutating func encode(_ value: Double) throws { try walker.number(value, path: walker.path) }
        mutating func encode(_ value: Float) throws { try walker.number(Double(value), path: walker.path) }
        mutating func encode(_ value: Int) throws {}
        mutating func encode(_ value: Int8) throws {}
        mutating func encode(_ value: Int16) throws {}
        mutating func encode(_ value: Int32) throws {}
        mutating func encode(_ value: Int64) throws {}
        mutating func encode(_ value: UInt) throws {}
        mutating func encode(_ value: UInt8) throws {}
        mutating func encode(_ value: UInt16) throws {}
        mutating func encode(_ value: UInt32) throws {}
        mutating func encode(_ value: UInt64) throws {}
        mutating func encode<T: Encodable>(_ value: T) throws { try walker.visit(value, path: walker.path, field: walker.field) }
    }
}
