import TaskCore

/// The `extensions.code` values of the gateway's GraphQL errors.
enum GatewayErrorCode {
    static let notFound = "NOT_FOUND"
    static let badRequest = "BAD_REQUEST"
    static let serviceUnavailable = "SERVICE_UNAVAILABLE"
    static let internalServerError = "INTERNAL_SERVER_ERROR"
    static let parseFailed = "GRAPHQL_PARSE_FAILED"
    static let validationFailed = "GRAPHQL_VALIDATION_FAILED"
    static let unauthenticated = "UNAUTHENTICATED"
    static let forbidden = "FORBIDDEN"

    /// The message shown when the worker service cannot be reached (the reference's wording).
    static let unavailableMessage = "Worker Service is unavailable"

    /// The code and message a backend error becomes in a GraphQL error.
    static func describe(_ error: TaskCoreError) -> (code: String, message: String) {
        switch error.code {
        case .notFound: (notFound, error.message)
        case .invalidArgument, .invalidCron, .invalidTransition: (badRequest, error.message)
        case .unavailable: (serviceUnavailable, unavailableMessage)
        case .unauthorized: (unauthenticated, error.message)
        case .forbidden: (forbidden, error.message)
        default: (internalServerError, error.message)
        }
    }
}
