import Hummingbird
import RoostCore

/// An HTTP error with a message for the client; rendered as `{"error": "..."}`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static func unauthorized(_ m: String = "missing or invalid credential") -> APIError { APIError(.unauthorized, m) }
    static func badRequest(_ m: String) -> APIError { APIError(.badRequest, m) }
    static func notFound(_ m: String) -> APIError { APIError(.notFound, m) }
    static func conflict(_ m: String) -> APIError { APIError(.conflict, m) }
}

/// Turns every error escaping a handler into a JSON body with the right status,
/// so clients never have to parse HTML or guess from a bare status code.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as APIError {
            return JSONResponse.make(APIErrorBody(error: e.message), status: e.status)
        } catch let e as RoostError {
            let status: HTTPResponse.Status = switch e {
            case .invalidArgument, .invalidModel: .badRequest
            case .unsupported: .unprocessableContent
            case .notFound: .notFound
            default: .internalServerError
            }
            if status == .internalServerError { context.logger.error("request failed", metadata: ["error": "\(e)"]) }
            return JSONResponse.make(APIErrorBody(error: e.description), status: status)
        } catch let e as any HTTPResponseError {
            return JSONResponse.make(APIErrorBody(error: "\(e.status.reasonPhrase)"), status: e.status)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return JSONResponse.make(APIErrorBody(error: "internal error: \(error)"), status: .internalServerError)
        }
    }
}
