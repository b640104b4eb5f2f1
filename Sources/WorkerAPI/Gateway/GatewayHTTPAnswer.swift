import TaskCore

/// A response under construction inside the gateway.
struct GatewayHTTPAnswer: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    static let jsonContentType = ("Content-Type", "application/json; charset=utf-8")

    /// A JSON answer.
    static func json(status: Int, _ body: [UInt8], extraHeaders: [(String, String)] = []) -> GatewayHTTPAnswer {
        GatewayHTTPAnswer(status: status, headers: [jsonContentType] + extraHeaders, body: body)
    }

    /// A GraphQL-shaped error answer with one error.
    static func graphQLError(status: Int, message: String, code: String, extraHeaders: [(String, String)] = [])
        -> GatewayHTTPAnswer
    {
        json(status: status, GatewayJSON.errorBody(message: message, code: code), extraHeaders: extraHeaders)
    }

    /// A request that could not be read.
    static func requestError(_ error: GatewayRequestError) -> GatewayHTTPAnswer {
        graphQLError(
            status: error.status, message: error.message,
            code: error.code ?? (error.status == 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST"))
    }

    /// 405 with `Allow`, in the REST API's error shape.
    static func methodNotAllowed(method: String, path: String, allow: String) -> GatewayHTTPAnswer {
        let body = GatewayJSON.object([
            ("statusCode", 405), ("error", "Method Not Allowed"),
            ("message", .string("Cannot \(method) \(path): allowed methods are \(allow)")),
        ])
        return json(status: 405, body, extraHeaders: [("Allow", allow)])
    }

    /// 404 in the REST API's error shape.
    static func notFound(method: String, path: String) -> GatewayHTTPAnswer {
        let body = GatewayJSON.object([
            ("statusCode", 404), ("error", "Not Found"), ("message", .string("Cannot \(method) \(path)")),
        ])
        return json(status: 404, body)
    }
}
