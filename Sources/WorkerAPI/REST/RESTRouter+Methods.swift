import TaskCore

/// Request methods: matched case-sensitively, as RFC 9110 §9.1 requires.
extension RESTRouter {
    /// The methods of RFC 9110 §9 plus `PATCH` (RFC 5789), exactly as registered (upper case).
    static let implementedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// Whether `method` goes on to routing. `post` is not `POST`: method names are case-sensitive,
    /// and a spelling that is not upper case is answered with 501 (RFC 9110 §15.6.2) before
    /// routing. An upper-case name the server does not serve (`QUERY`, `BREW`) is routed like any
    /// other and so answers 405 on a known path (with `Allow`) and 404 elsewhere: the contract's
    /// "known path, wrong method", and what OpenAPI tools expect of an undeclared method.
    static func isImplementedMethod(_ method: String) -> Bool {
        if implementedMethods.contains(method) { return true }
        let utf8 = method.utf8
        return !utf8.isEmpty && utf8.count <= 32 && utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 == UInt8(ascii: "-") }
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
