import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain http on URLSession (libcurl on Linux). Not the default any more: see
/// `RoostClient.init(scheduler:…)`; kept for callers that bring their own session setup.
/// `timeout` is per request, between bytes: long-polls wait up to 30 s.
public struct URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init(timeout: Double = 75) {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = 3600
        config.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: config)
    }

    public func exchange(_ request: TransportRequest) async throws -> TransportReply {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        if let timeout = request.timeout { urlRequest.timeoutInterval = timeout }
        let (data, response) = try await send(urlRequest)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return TransportReply(status: http?.statusCode ?? 0, body: data, headers: headers)
    }

    /// The request on a completion-handler task, cancellable without deadlock.
    ///
    /// Not `session.data(for:)`: on Linux its cancellation handler cancels the
    /// URLSession task synchronously on the session's queue while the Swift task's
    /// status lock is held, and when the transfer completes at that moment the
    /// queue waits for the same lock to resume the task — both wait forever (seen
    /// as an agent that fell silent when a heartbeat finished just as its job
    /// failed). Here cancellation only asks, from another queue, and the
    /// completion handler resumes the caller with the cancellation error.
    private func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        let pending = PendingTask()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: TransportFailure.unreachable(error.localizedDescription))
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: TransportFailure.unreachable("no response"))
                    }
                }
                pending.start(task)
            }
        } onCancel: {
            pending.cancel()
        }
    }
}

/// The URLSession task of one exchange and whether its caller was cancelled:
/// a cancellation that arrives before the task exists cancels it as it starts.
private final class PendingTask: Sendable {
    private let state = Mutex<(task: URLSessionDataTask?, cancelled: Bool)>((nil, false))

    func start(_ task: URLSessionDataTask) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        task.resume()
        if cancelled { Self.cancelLater(task) }
    }

    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        if let task { Self.cancelLater(task) }
    }

    /// Off the cancelling thread, which may hold the Swift task's status lock.
    private static func cancelLater(_ task: URLSessionDataTask) {
        DispatchQueue.global().async { task.cancel() }
    }
}
