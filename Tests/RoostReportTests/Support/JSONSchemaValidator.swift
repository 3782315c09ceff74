import Foundation

/// A validator for the part of JSON Schema that `docs/report.schema.json`
/// uses: `type` (a name or an array of names, so `["number", "null"]` means
/// nullable), `required`, `properties`, `additionalProperties` (false or a
/// schema), `items`, `enum`, `anyOf` and `$ref` to `#/$defs/NAME`. Any other
/// keyword in the schema is reported as an error, so the schema cannot quietly
/// rely on something nobody checks. Annotations (`description`, `title`, `$id`,
/// `$schema`) are ignored.
struct JSONSchemaValidator {
    let root: JSONValue

    static let understood: Set<String> = ["type", "required", "properties", "additionalProperties", "items", "enum", "anyOf", "$ref", "$defs"]
    static let annotations: Set<String> = ["description", "title", "$id", "$schema"]

    init(schema: Data) throws { root = try JSONValue.parse(schema) }

    struct Violation: CustomStringConvertible, Equatable {
        var path: String
        var message: String
        var description: String { "\(path): \(message)" }
    }

    /// Every violation, with a JSON path; empty when the instance is valid.
    func validate(_ instance: Data) throws -> [Violation] {
        var out: [Violation] = []
        check(try JSONValue.parse(instance), against: root, path: "$", into: &out)
        return out
    }

    private func resolve(_ ref: String) -> JSONValue? {
        let prefix = "#/$defs/"
        guard ref.hasPrefix(prefix) else { return nil }
        return root["$defs"]?[String(ref.dropFirst(prefix.count))]
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into out: inout [Violation]) {
        guard let s = schema.object else { out.append(Violation(path: path, message: "schema is not an object")); return }
        for key in s.keys where !Self.understood.contains(key) && !Self.annotations.contains(key) {
            out.append(Violation(path: path, message: "schema keyword '\(key)' is not supported by this validator"))
        }
        if let ref = s["$ref"]?.string {
            if let target = resolve(ref) { check(value, against: target, path: path, into: &out) } else {
                out.append(Violation(path: path, message: "unresolvable $ref \(ref)"))
            }
        }
        if let anyOf = s["anyOf"]?.array {
            let matched = anyOf.contains { sub in
                var scratch: [Violation] = []
                check(value, against: sub, path: path, into: &scratch)
                return scratch.isEmpty
            }
            if !matched { out.append(Violation(path: path, message: "matches none of anyOf")) }
        }
        if let type = s["type"] {
            let allowed = Set(type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 })
            if value.typeNames.isDisjoint(with: allowed) {
                out.append(Violation(path: path, message: "type \(value.typeNames.sorted()) is not \(allowed.sorted())"))
                return
            }
        }
        if let options = s["enum"]?.array, !options.contains(value) {
            out.append(Violation(path: path, message: "\(value) is not one of the enum values"))
        }
        if let object = value.object {
            for key in s["required"]?.array?.compactMap(\.string) ?? [] where object[key] == nil {
                out.append(Violation(path: path, message: "missing required property '\(key)'"))
            }
            let properties = s["properties"]?.object ?? [:]
            for (key, child) in object {
                if let sub = properties[key] {
                    check(child, against: sub, path: "\(path).\(key)", into: &out)
                } else if s["additionalProperties"]?.bool == false {
                    out.append(Violation(path: path, message: "property '\(key)' is not in the schema"))
                } else if let sub = s["additionalProperties"], sub.object != nil {
                    check(child, against: sub, path: "\(path).\(key)", into: &out)
                }
            }
        }
        if let array = value.array, let items = s["items"] {
            for (i, element) in array.enumerated() { check(element, against: items, path: "\(path)[\(i)]", into: &out) }
        }
    }
}
