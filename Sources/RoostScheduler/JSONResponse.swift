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

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 16 << 20) async throws -> T {
        try decode(type, from: try await body(of: request, limit: limit))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do { return try RoostJSON.decoder().decode(type, from: data) } catch {
            throw APIError.badRequest("request body is not a valid \(type): \(error)")
        }
    }

    static func body(of request: Request, limit: Int) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return Data(buffer.readableBytesView)
    }
}
