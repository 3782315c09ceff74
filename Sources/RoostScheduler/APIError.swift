import Hummingbird
import RoostCore
import RoostStore

/// An HTTP error with a message for the client; rendered as `{"error": "..."}`,
/// with the field and limit when input was refused for its size.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var field: String?
    public var limit: Int?
    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, limit: Int? = nil) {
        self.status = status
        self.message = message
        self.field = field
        self.limit = limit
    }

    /// Input over a limit or malformed: 413 for the samples of a result (what
    /// makes a body huge), 400 for every other field.
    init(_ v: InputViolation) {
        let samples = v.kind == .tooLarge && v.field.hasSuffix("samplesMs")
        self.init(samples ? .contentTooLarge : .badRequest, v.message, field: v.field, limit: v.limit)
    }

    var body: APIErrorBody { APIErrorBody(error: message, field: field, limit: limit) }

    static func unauthorized(_ m: String = "missing or invalid credential") -> APIError { APIError(.unauthorized, m) }
    static func badRequest(_ m: String) -> APIError { APIError(.badRequest, m) }
    static func forbidden(_ m: String) -> APIError { APIError(.forbidden, m) }
    static func notFound(_ m: String) -> APIError { APIError(.notFound, m) }
    static func conflict(_ m: String) -> APIError { APIError(.conflict, m) }
}

/// Turns every error escaping a handler into a JSON body with the right status,
/// so clients never have to parse HTML or guess from a bare status code. A
/// database error is logged with PostgreSQL's own cause; a value the database
/// refused (SQLSTATE class 22) is the client's 400, not a 500.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as APIError {
            return JSONResponse.make(e.body, status: e.status)
        } catch let v as InputViolation {
            let e = APIError(v)
            return JSONResponse.make(e.body, status: e.status)
        } catch let e as RoostError {
            let status: HTTPResponse.Status = switch e {
            case .invalidArgument, .invalidModel: .badRequest
            case .unsupported: .unprocessableContent
            case .notFound: .notFound
            default: .internalServerError
            }
            if status == .internalServerError { context.logger.error("request failed", metadata: ["error": "\(e)", "path": "\(request.uri.path)"]) }
            return JSONResponse.make(APIErrorBody(error: e.description), status: status)
        } catch let e as any HTTPResponseError {
            return JSONResponse.make(APIErrorBody(error: "\(e.status.reasonPhrase)"), status: e.status)
        } catch {
            if let db = DatabaseFailure(error) {
                if db.isDataException {
                    context.logger.warning("request refused by the database", metadata: ["cause": "\(db)", "path": "\(request.uri.path)"])
                    return JSONResponse.make(APIErrorBody(error: "the database refused a value of this request: \(db.message)"), status: .badRequest)
                }
                context.logger.error("request failed", metadata: ["cause": "\(db)", "path": "\(request.uri.path)"])
                return JSONResponse.make(APIErrorBody(error: "internal error: database: \(db.sqlState)"), status: .internalServerError)
            }
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return JSONResponse.make(APIErrorBody(error: "internal error: \(error)"), status: .internalServerError)
        }
    }
}
