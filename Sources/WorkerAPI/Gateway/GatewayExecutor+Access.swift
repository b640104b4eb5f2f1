import GraphQLLite
import TaskCore

extension TaskCoreError.Code {
    /// The caller has no valid credentials (REST 401; a remote worker's 401 reaches the gateway as this).
    static let unauthorized = TaskCoreError.Code(rawValue: "unauthorized")
    /// The caller's role does not allow the change (REST 403).
    static let forbidden = TaskCoreError.Code(rawValue: "forbidden")
}

extension GatewayExecutor {
    /// What access control makes of an executed (or refused) request:
    /// - records the root fields of a mutation in the request's scope, for the audit line;
    /// - a mutation refused because the caller has a read token becomes 403 `FORBIDDEN`, no `data`;
    /// - a remote worker's 401 or 403 (errors with code `UNAUTHENTICATED` or `FORBIDDEN`) becomes
    ///   the same status for the caller, without `data`, rather than a 200 with field errors.
    /// - Returns: the answer to send instead of the normal one, or `nil`.
    func accessOutcome(_ request: GatewayGraphQLRequest, _ result: GraphQLResponse, viaGET: Bool, readOnly: Bool)
        -> GatewayHTTPAnswer?
    {
        guard let scope = GatewayRequestScope.current else { return nil }
        if scope.auditing, !viaGET, let fields = mutationFields(request) { scope.recordMutation(fields) }
        if result.failure == .operationNotAllowed, !viaGET, readOnly {
            return .json(
                status: 403,
                GatewayHTTPHandler.refusalBody(
                    status: 403, message: "Forbidden: mutations need a write token; this token has the read role",
                    code: GatewayErrorCode.forbidden))
        }
        guard result.failure == nil else { return nil }
        for status in [401, 403] {
            let code = status == 401 ? GatewayErrorCode.unauthenticated : GatewayErrorCode.forbidden
            if let error = result.errors.first(where: { $0.code == code }) {
                return .json(
                    status: status, GatewayHTTPHandler.refusalBody(status: status, message: error.message, code: code),
                    extraHeaders: status == 401 ? [("WWW-Authenticate", "Bearer")] : [])
            }
        }
        return nil
    }

    /// The root field names of the operation `request` selects, when it is a mutation that parses
    /// (through the engine's document cache); `nil` otherwise.
    func mutationFields(_ request: GatewayGraphQLRequest) -> [String]? {
        let document: GraphQLDocument
        if let cached = engine.cache?.document(for: request.query) {
            document = cached
        } else if let parsed = try? engine.parse(request.query) {
            document = parsed
        } else {
            return nil
        }
        guard document.operationType(named: request.operationName) == .mutation else { return nil }
        return document.rootFieldNames(operationName: request.operationName)
    }
}
