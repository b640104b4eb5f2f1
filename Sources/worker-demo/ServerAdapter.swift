import HTTPServer
import WorkerAPI

/// Serves the REST router on ``HTTPServer``: converts the request, calls the router, converts back.
struct RESTServerAdapter: HTTPResponder {
    let router: RESTRouter

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let response = await router.respond(
            to: RESTRequest(
                method: request.method.rawValue, path: request.path, query: request.query,
                headers: request.headers.fields, body: request.body))
        if let stream = response.stream {
            return .streaming(status: response.status, headers: HTTPHeaders(response.headers), stream)
        }
        return HTTPResponse(status: response.status, headers: HTTPHeaders(response.headers), body: response.body)
    }
}

/// Serves the GraphQL gateway on ``HTTPServer``.
struct GatewayServerAdapter: HTTPResponder {
    let gateway: GatewayHTTPHandler

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let answer = await gateway.handleStreaming(
            method: request.method.rawValue, path: request.path, query: request.query.isEmpty ? nil : request.query,
            headers: request.headers.fields.map { ($0.name, $0.value) }, body: request.body)
        if let stream = answer.stream {
            return .streaming(status: answer.status, headers: HTTPHeaders(answer.headers.map { (name: $0.0, value: $0.1) }), stream)
        }
        return HTTPResponse(
            status: answer.status, headers: HTTPHeaders(answer.headers.map { (name: $0.0, value: $0.1) }), body: answer.body)
    }
}

extension HTTPServer.Configuration {
    /// The demo's server settings: the router enforces the contract's 1 MiB limit with a contract
    /// error body, so the server's own (differently shaped) 413 only starts at 4 MiB.
    static func demo(host: String, port: Int) -> HTTPServer.Configuration {
        HTTPServer.Configuration(host: host, port: port, limits: HTTPServer.Limits(maxBodyBytes: 4 << 20))
    }
}
