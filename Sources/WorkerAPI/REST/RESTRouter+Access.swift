extension RESTRouter {
    /// Answers one request; never throws: every failure becomes a contract error body.
    ///
    /// Every request first passes the router's ``Options/accessControl`` (tokens, roles, the
    /// cross-site rule, CORS): a refusal is answered here (401 with `WWW-Authenticate: Bearer`,
    /// 403, 415) and never reaches a route. Changing requests and refusals are audited.
    /// - Parameter request: the request.
    /// - Returns: the response. `HEAD` is answered like `GET`, body included, so the server can send
    ///   the right `Content-Length`; the server must not send the body (HTTPServer, Vapor and
    ///   Hummingbird all drop it).
    public func respond(to request: RESTRequest) async -> RESTResponse {
        let access = options.accessControl
        let head = AccessRequest(
            method: request.method, path: request.path, query: request.query, headers: request.headers, surface: .rest)
        var response: RESTResponse
        var role: AccessRole?
        switch await access.admit(head) {
        case .allowed(let found):
            role = found
            response = await respondUnguarded(to: request)
        case .answered(let answer, let known):
            role = known
            response = Self.response(answer)
            metrics.recordRequest(
                route: RESTPath.match(request.path)?.path.template ?? "unmatched", method: request.method,
                status: response.status, seconds: 0)
        }
        response.headers.append(contentsOf: access.corsHeaders(for: head))
        if AccessPolicy.isChanging(method: head.method) || response.status == 401 || response.status == 403 {
            access.record(head, role: role, status: response.status)
        }
        return response
    }

    /// The REST rendering of a middleware answer: the contract's error body, or an empty 204.
    static func response(_ answer: AccessAnswer) -> RESTResponse {
        var response: RESTResponse
        if let message = answer.message {
            response = .error(answer.status, message, code: answer.code)
        } else {
            response = RESTResponse(status: answer.status)
        }
        response.headers.append(contentsOf: answer.headers)
        return response
    }
}
