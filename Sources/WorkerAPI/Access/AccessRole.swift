/// What a caller may do: `read` (look) or `write` (look and change). `write` includes `read`.
public enum AccessRole: String, Sendable, Hashable, CaseIterable, Comparable {
    /// May call every reading endpoint (REST `GET`/`HEAD`, `/metrics`, GraphQL queries and
    /// subscriptions, `/api/events`).
    case read
    /// May also change things (REST `POST`/`PATCH`/`DELETE`, GraphQL mutations).
    case write

    /// Whether this role is enough for `requirement`.
    /// - Parameter requirement: what the request needs.
    /// - Returns: `true` when the role grants it (`write` grants `read`).
    public func satisfies(_ requirement: AccessRequirement) -> Bool {
        switch requirement {
        case .open, .read: true
        case .write: self == .write
        }
    }

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool { lhs == .read && rhs == .write }
}

/// What a request needs before it may run: nothing, a read token or a write token.
public enum AccessRequirement: String, Sendable, Hashable, CaseIterable {
    /// Anyone may call it, with or without a token (`/health`, the dashboard and playground pages).
    case open
    /// A `read` or `write` token.
    case read
    /// A `write` token.
    case write
}
