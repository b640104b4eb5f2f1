import TaskCore

/// Request methods: matched case-sensitively, as RFC 9110 §9.1 requires.
extension RESTRouter {
    /// The methods of RFC 9110 §9 plus `PATCH` (RFC 5789), exactly as registered (upper case).
    static let implementedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// Whether `method` is one the router knows at all. `post` is not `POST`: method names are
    /// case-sensitive, and an unknown one is answered with 501 (RFC 9110 §15.6.2), before routing.
    static func isImplementedMethod(_ method: String) -> Bool {
        implementedMethods.contains(method)
    }

    /// 501 for a method the server does not recognise.
    static func notImplemented(_ method: String) -> RESTResponse {
        .error(
            501,
            "Method '\(TaskCoreError.excerpt(method, limit: 32))' is not implemented; methods are case-sensitive "
                + "(GET, HEAD, POST, PATCH, DELETE)",
            code: "not_implemented")
    }
}
