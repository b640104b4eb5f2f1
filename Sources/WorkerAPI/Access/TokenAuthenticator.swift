/// The built-in ``RequestAuthenticator``: a fixed list of bearer tokens, each with a role
/// (`--api-tokens read:abc,write:def`, env `WORKER_API_TOKENS`).
///
/// Tokens are compared in constant time: the time a comparison takes depends only on the
/// configured tokens, never on how much of a presented token is right, and every configured
/// token is compared on every request (no early exit). The type's `description` never shows a
/// token.
public struct TokenAuthenticator: RequestAuthenticator, CustomStringConvertible {
    /// One configured token and its role.
    struct Entry: Sendable {
        let role: AccessRole
        let token: [UInt8]
    }

    let entries: [Entry]

    /// The number of configured tokens per role (for the start-up line; never the tokens).
    public var tokenCounts: [AccessRole: Int] {
        entries.reduce(into: [:]) { $0[$1.role, default: 0] += 1 }
    }

    /// Creates an authenticator from `(role, token)` pairs.
    /// - Parameter tokens: the tokens; at least one.
    /// - Throws: ``AccessConfigurationError`` for an empty list, an empty token or one with
    ///   characters a bearer token cannot hold.
    public init(tokens: [(role: AccessRole, token: String)]) throws(AccessConfigurationError) {
        guard !tokens.isEmpty else { throw AccessConfigurationError(message: "the token list is empty") }
        var entries: [Entry] = []
        for (index, item) in tokens.enumerated() {
            try Self.checkToken(item.token, position: index + 1)
            entries.append(Entry(role: item.role, token: Array(item.token.utf8)))
        }
        self.entries = entries
    }

    /// Parses the `--api-tokens` syntax: comma-separated `role:token` entries, role `read` or
    /// `write`; spaces around entries are ignored.
    /// - Parameter list: e.g. `read:r3adT0ken,write:wr1teT0ken`.
    /// - Throws: ``AccessConfigurationError`` naming the entry by position (never by its token).
    public init(parsing list: String) throws(AccessConfigurationError) {
        var tokens: [(role: AccessRole, token: String)] = []
        for (index, rawEntry) in list.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let entry = rawEntry.trimmingASCIISpaces()
            if entry.isEmpty { continue }
            guard let colon = entry.firstIndex(of: ":") else {
                throw AccessConfigurationError(
                    message: "entry \(index + 1) is not role:token (expected read:TOKEN or write:TOKEN)")
            }
            let roleText = entry[..<colon].lowercased()
            guard let role = AccessRole(rawValue: roleText) else {
                let shown = roleText.count <= 20 ? "'\(roleText)'" : "of \(roleText.count) characters"
                throw AccessConfigurationError(
                    message: "entry \(index + 1) has the role \(shown); expected read or write")
            }
            tokens.append((role, String(entry[entry.index(after: colon)...])))
        }
        guard !tokens.isEmpty else {
            throw AccessConfigurationError(message: "no role:token entries (expected read:TOKEN or write:TOKEN, comma-separated)")
        }
        try self.init(tokens: tokens)
    }

    public var description: String {
        let counts = tokenCounts
        return "TokenAuthenticator(read: \(counts[.read] ?? 0), write: \(counts[.write] ?? 0) tokens)"
    }

    public func authenticate(_ request: AuthenticationRequest) async -> AuthenticationResult {
        guard let presented = request.bearerToken else { return .missingCredentials }
        return role(of: presented).map { .authenticated($0) } ?? .refused(reason: "the bearer token is not valid")
    }

    /// The role of `presented`, or `nil` when it is none of the configured tokens.
    ///
    /// Every configured token is compared with the whole length of the configured token, whatever
    /// `presented` holds, and the highest role among matches wins.
    /// - Complexity: O(total length of the configured tokens), independent of `presented`.
    func role(of presented: String) -> AccessRole? {
        let bytes = Array(presented.utf8)
        var found: AccessRole?
        for entry in entries {
            if Self.constantTimeEqual(entry.token, bytes) {
                found = max(found ?? entry.role, entry.role)
            }
        }
        return found
    }

    /// Whether `expected` and `presented` are equal, in time that depends only on `expected.count`.
    static func constantTimeEqual(_ expected: [UInt8], _ presented: [UInt8]) -> Bool {
        var difference: UInt = expected.count == presented.count ? 0 : 1
        let presentedCount = presented.count
        for index in 0..<expected.count {
            // Read a presented byte for every expected byte (wrapping), so that a short or empty
            // presented token costs the same as a full one.
            let other: UInt8 = presentedCount == 0 ? 0 : presented[index % presentedCount]
            difference |= UInt(expected[index] ^ other)
        }
        return difference == 0
    }

    /// A token must be non-empty visible ASCII without `,` (RFC 6750's `b64token` and more).
    static func checkToken(_ token: String, position: Int) throws(AccessConfigurationError) {
        guard !token.isEmpty else { throw AccessConfigurationError(message: "entry \(position) has an empty token") }
        guard token.utf8.count <= 4096 else {
            throw AccessConfigurationError(message: "entry \(position) has a token over 4096 bytes")
        }
        guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") }) else {
            throw AccessConfigurationError(
                message: "entry \(position) has a token with a space, a comma or a non-ASCII character")
        }
    }
}

/// A mistake in the access-control settings (`--api-tokens`, `--cors-origin`), found at start-up.
///
/// Messages name entries by position and never include a token.
public struct AccessConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(message: String) { self.message = message }

    public var description: String { message }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
