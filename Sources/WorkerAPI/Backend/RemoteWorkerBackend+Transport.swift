import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import TaskCore

extension RemoteWorkerBackend {
    /// A successful (2xx) answer of the worker.
    struct Answer {
        var status: Int
        var body: [UInt8]

        /// The body as JSON (`null` for an empty body).
        var json: JSONValue {
            get throws(TaskCoreError) {
                guard !body.isEmpty else { return .null }
                do throws(TaskCoreError) {
                    return try JSONReader().parse(body)
                } catch {
                    throw ContractDecoding.malformed(error.message)
                }
            }
        }
    }

    /// Sends one request; non-2xx answers and transport failures become ``TaskCoreError``s.
    func send(_ method: String, _ pathAndQuery: String, body: [UInt8]? = nil) async throws(TaskCoreError) -> Answer {
        guard let session else { return try await sendPlain(method, pathAndQuery, body: body) }
        guard let url = URL(string: baseURL + pathAndQuery) else {
            throw .invalidArgument("path", "cannot build a URL from \(baseURL)\(pathAndQuery)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = session.configuration.timeoutIntervalForRequest
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let authorization = GatewayRequestScope.current?.authorization {
            // The caller's credentials, so that the worker's access control decides (API.md section 10).
            request.setValue(authorization, forHTTPHeaderField: "Authorization")
        }
        if let body {
            request.httpBody = Data(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw TaskCoreError(code: .unavailable, message: Self.unavailableMessage)
        }
        guard let http = response as? HTTPURLResponse else {
            throw TaskCoreError(code: .unavailable, message: Self.unavailableMessage)
        }
        let bytes = [UInt8](data)
        if (200..<300).contains(http.statusCode) {
            return Answer(status: http.statusCode, body: bytes)
        }
        throw Self.error(
            status: http.statusCode, code: http.value(forHTTPHeaderField: "X-Error-Code"),
            field: http.value(forHTTPHeaderField: "X-Error-Field"), body: bytes)
    }

    /// ``send(_:_:body:)`` to an `http://` worker, with ``WorkerHTTPClient``.
    private func sendPlain(_ method: String, _ pathAndQuery: String, body: [UInt8]?) async throws(TaskCoreError)
        -> Answer
    {
        guard let client else { throw TaskCoreError(code: .unavailable, message: Self.unavailableMessage) }
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let authorization = GatewayRequestScope.current?.authorization {
            // The caller's credentials, so that the worker's access control decides (API.md section 10).
            headers.append(("Authorization", authorization))
        }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        switch await client.send(method, basePath + pathAndQuery, headers: headers, body: body) {
        case .failure:
            throw TaskCoreError(code: .unavailable, message: Self.unavailableMessage)
        case .success(let response):
            if (200..<300).contains(response.status) { return Answer(status: response.status, body: response.body) }
            throw Self.error(
                status: response.status, code: response.header("x-error-code"), field: response.header("x-error-field"),
                body: response.body)
        }
    }

    /// The error a non-2xx answer stands for.
    static func error(status: Int, code: String?, field: String?, body: [UInt8]) -> TaskCoreError {
        let message = (try? JSONReader().parse(body))?["message"]?.stringValue
        let fallback: TaskCoreError.Code
        switch status {
        case 401: fallback = .unauthorized
        case 403: fallback = .forbidden
        case 404: fallback = .notFound
        case 400, 405, 413, 415: fallback = .invalidArgument
        case 409: fallback = .leaseLost
        default: fallback = .unavailable
        }
        let errorCode = code.map { TaskCoreError.Code(rawValue: $0) } ?? fallback
        if errorCode == .unavailable || (message == nil && status >= 500) {
            return TaskCoreError(code: .unavailable, message: unavailableMessage)
        }
        return TaskCoreError(code: errorCode, message: message ?? "Worker Service answered \(status)", field: field)
    }

    /// Milliseconds of a duration, rounded down.
    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// Percent-encodes a query value (everything but unreserved characters).
    static func percentEncode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
