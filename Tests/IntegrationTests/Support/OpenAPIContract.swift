import Foundation
import Testing

/// Checks live responses against `docs/openapi.json`: the status must be one the
/// operation documents, and the body must match that response's schema. Covers
/// the keywords the document uses for shapes — `type` (with `null`),
/// `required`, `properties`, `additionalProperties`, `items`, `enum`, `anyOf`,
/// `$ref` to `#/components/schemas` — and `minimum`/`maximum`; string formats
/// and patterns constrain requests and are not checked here.
struct OpenAPIContract {
    let document: [String: Any]

    init() throws {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("docs/openapi.json")
            if FileManager.default.fileExists(atPath: candidate.path) {
                document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: candidate)) as? [String: Any])
                // Value tells booleans from numbers by the class JSONSerialization gives them: make sure it still does.
                let probe = Value(try JSONSerialization.jsonObject(with: Data("[true, 1, 0, false, 1.5, null]".utf8)))
                try #require(probe == .array([.bool(true), .number(1), .number(0), .bool(false), .number(1.5), .null]),
                             "JSONSerialization no longer gives booleans a class of their own: \(String(describing: probe))")
                return
            }
            dir.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    /// Violations of `METHOD path-template` answering `status` with `body`; empty when it conforms.
    func violations(_ method: String, _ template: String, status: Int, body: Data) -> [String] {
        guard let item = (document["paths"] as? [String: Any])?[template] as? [String: Any],
              let operation = item[method.lowercased()] as? [String: Any],
              let responses = operation["responses"] as? [String: Any] else {
            return ["\(method) \(template) is not in docs/openapi.json"]
        }
        guard let response = responses[String(status)] as? [String: Any] else {
            return ["\(method) \(template) answered \(status), which the document does not list (\(responses.keys.sorted()))"]
        }
        guard let content = response["content"] as? [String: Any] else {
            return body.isEmpty ? [] : ["\(method) \(template) \(status) has a body the document does not describe"]
        }
        guard let json = content["application/json"] as? [String: Any], let schema = json["schema"] else { return [] }
        guard let parsed = try? JSONSerialization.jsonObject(with: body, options: .fragmentsAllowed), let value = Value(parsed) else {
            return ["\(method) \(template) \(status): body is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))"]
        }
        var out: [String] = []
        check(value, schema, "$", &out)
        return out.map { "\(method) \(template) \(status): \($0)" }
    }

    private func resolve(_ ref: String) -> Any? {
        let prefix = "#/components/schemas/"
        guard ref.hasPrefix(prefix) else { return nil }
        return ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[String(ref.dropFirst(prefix.count))]
    }

    /// A parsed JSON body, booleans kept apart from numbers. Built from JSONSerialization's
    /// tree: decoding into this enum with JSONDecoder, trying each case in turn, spent
    /// about 7 s of the debug build on each 2 MB benchmark report. JSONSerialization
    /// gives a JSON boolean the NSNumber subclass that `NSNumber(value: true)` has and
    /// a number a plain NSNumber (`init()` checks that this still holds).
    indirect enum Value: Equatable {
        case null, bool(Bool), number(Double), string(String), array([Value]), object([String: Value])
        private static let booleanClass: AnyClass = type(of: NSNumber(value: true))

        /// nil for anything JSONSerialization does not produce.
        init?(_ json: Any) {
            switch json {
            case is NSNull: self = .null
            case let n as NSNumber: self = type(of: n) == Self.booleanClass ? .bool(n.boolValue) : .number(n.doubleValue)
            case let s as String: self = .string(s)
            case let a as [Any]:
                var out: [Value] = []
                out.reserveCapacity(a.count)
                for element in a {
                    guard let v = Value(element) else { return nil }
                    out.append(v)
                }
                self = .array(out)
            case let o as [String: Any]:
                var out: [String: Value] = [:]
                for (key, element) in o {
                    guard let v = Value(element) else { return nil }
                    out[key] = v
                }
                self = .object(out)
            default: return nil
            }
        }
        var typeNames: Set<String> {
            switch self {
            case .null: ["null"]
            case .bool: ["boolean"]
            case .number(let d): d == d.rounded() ? ["integer", "number"] : ["number"]
            case .string: ["string"]
            case .array: ["array"]
            case .object: ["object"]
            }
        }
    }

    private func check(_ value: Value, _ schemaValue: Any, _ path: String, _ out: inout [String]) {
        guard let s = schemaValue as? [String: Any] else { out.append("\(path): schema is not an object"); return }
        if let ref = s["$ref"] as? String {
            guard let target = resolve(ref) else { out.append("\(path): unresolved \(ref)"); return }
            check(value, target, path, &out)
        }
        if let anyOf = s["anyOf"] as? [Any] {
            let matched = anyOf.contains { sub in
                var scratch: [String] = []
                check(value, sub, path, &scratch)
                return scratch.isEmpty
            }
            if !matched { out.append("\(path): matches none of anyOf") }
        }
        if let type = s["type"] {
            let allowed = Set((type as? [String]) ?? [type as? String].compactMap { $0 })
            if value.typeNames.isDisjoint(with: allowed) {
                out.append("\(path): \(value.typeNames.sorted()) is not \(allowed.sorted())")
                return
            }
        }
        if let options = s["enum"] as? [Any], case .string(let text) = value, !options.compactMap({ $0 as? String }).contains(text) {
            out.append("\(path): '\(text)' is not one of \(options)")
        }
        if case .number(let n) = value {
            if let min = (s["minimum"] as? NSNumber)?.doubleValue, n < min { out.append("\(path): \(n) < minimum \(min)") }
            if let max = (s["maximum"] as? NSNumber)?.doubleValue, n > max { out.append("\(path): \(n) > maximum \(max)") }
        }
        if case .object(let object) = value {
            for key in (s["required"] as? [String]) ?? [] where object[key] == nil { out.append("\(path): missing required '\(key)'") }
            let properties = (s["properties"] as? [String: Any]) ?? [:]
            for (key, child) in object {
                if let sub = properties[key] {
                    check(child, sub, "\(path).\(key)", &out)
                } else if let extra = s["additionalProperties"] {
                    if (extra as? Bool) == false { out.append("\(path): '\(key)' is not in the schema") }
                    else if extra is [String: Any] { check(child, extra, "\(path).\(key)", &out) }
                }
            }
        }
        if case .array(let array) = value, let items = s["items"] {
            for (i, element) in array.enumerated() { check(element, items, "\(path)[\(i)]", &out) }
        }
    }
}
