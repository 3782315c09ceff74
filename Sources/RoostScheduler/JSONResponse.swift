import Foundation
import Hummingbird
import RoostCore

/// JSON in and out with the wire coders every Roost process shares.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? RoostJSON.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func bytes(_ data: some Sequence<UInt8>, contentType: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A request body as `T`, refused (413) past `limit` bytes and (400) when
    /// any of its strings, lists or numbers is outside `InputLimits` (`check`).
    static func decode<T: Codable>(_ type: T.Type, from request: Request, limit: Int = InputLimits.jsonBodyBytes,
                                   check: InputCheck = .standard) async throws -> T {
        let value = try decode(type, from: try await body(of: request, limit: limit))
        try validate(value, check: check)
        return value
    }

    /// Decoding without the generic checks, for bodies with their own (reference tensors).
    static func decodeUnchecked<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try decode(type, from: try await body(of: request, limit: limit))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDepth.check(data)
        do { return try RoostJSON.decoder().decode(type, from: data) } catch {
            throw APIError.badRequest("request body is not a valid \(type): \(error)")
        }
    }

    /// `InputCheck` over a decoded body, its violation as the API's error.
    static func validate<T: Encodable>(_ value: T, check: InputCheck = .standard) throws {
        do { try check.validate(value) } catch let v as InputViolation { throw APIError(v) }
    }

    /// The body, or 413 naming the limit when it is longer.
    static func body(of request: Request, limit: Int) async throws -> Data {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "request body is larger than this route's limit of \(limit) bytes", field: "body", limit: limit)
        }
    }
}

/// JSON nested deeper than any wire type is refused before it is decoded: a
/// body of 100,000 `[` must cost a scan, not the decoder's stack.
enum JSONDepth {
    /// The deepest `/v1` body is about 6 levels; 64 leaves room for growth.
    static let limit = 64

    /// Throws a 400 when arrays and objects (outside strings) nest deeper than `limit`.
    static func check(_ data: Data, limit: Int = JSONDepth.limit) throws {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { throw APIError(.badRequest, "request body nests arrays and objects deeper than \(limit) levels", field: "body", limit: limit) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
    }
}
