/// The decision table of access control: which requests are open, which need a read token and
/// which a write token. Data, not code spread over the routes.
///
/// The rule is general on purpose, so that a route added later is covered without an edit here:
/// the first ``Rule`` whose path and methods match decides, and the last rules are catch-alls by
/// method (`GET`/`HEAD` read, everything else write). Only the listed pages and `/health` are
/// open. `WorkerAPITests/AccessPolicyTests` checks every route of ``RESTRouter/routes`` against it.
///
/// | path | methods | needs |
/// | --- | --- | --- |
/// | `/health` | GET, HEAD | open |
/// | `/dashboard`, `/dashboard/...` | GET, HEAD | open (the page; its API calls are guarded) |
/// | `/openapi.json` | GET, HEAD | open (the API's description, no data) |
/// | `/graphql` asked for as a page (`Accept: text/html`) | GET, HEAD | open (the playground page) |
/// | `/graphql` | POST | read (a mutation then needs write) |
/// | anything | GET, HEAD, OPTIONS | read |
/// | anything | POST, PATCH, PUT, DELETE, any other | write |
///
/// A GraphQL `POST` needs read at the HTTP layer; the gateway then refuses a mutation for a read
/// token (403, `FORBIDDEN`) once it knows the operation's type.
public struct AccessPolicy: Sendable {
    /// How a rule matches a path.
    public enum PathPattern: Sendable, Hashable {
        /// Exactly this path (one trailing slash ignored).
        case exact(String)
        /// This path or anything below it (`/dashboard`, `/dashboard/app.js`).
        case subtree(String)
        /// Every path.
        case any

        /// Whether `path` matches.
        public func matches(_ path: String) -> Bool {
            let path = Self.trimmed(path)
            switch self {
            case .exact(let template): return path == template
            case .subtree(let root): return path == root || path.hasPrefix(root + "/")
            case .any: return true
            }
        }

        static func trimmed(_ path: String) -> String {
            var path = path
            while path.utf8.count > 1, path.hasSuffix("/") { path.removeLast() }
            return path
        }
    }

    /// One row of the table.
    public struct Rule: Sendable, Hashable {
        /// The paths it covers.
        public var path: PathPattern
        /// The methods it covers (upper case); `nil` means every method.
        public var methods: Set<String>?
        /// Whether it covers only requests for an HTML page (a browser's `Accept: text/html`).
        public var pageOnly: Bool
        /// What a matching request needs.
        public var requirement: AccessRequirement

        /// Creates a rule.
        public init(path: PathPattern, methods: Set<String>?, pageOnly: Bool = false, requirement: AccessRequirement) {
            self.path = path
            self.methods = methods
            self.pageOnly = pageOnly
            self.requirement = requirement
        }
    }

    /// The rows, first match wins.
    public var rules: [Rule]

    /// Creates a policy from rows; the default is ``standard``.
    public init(rules: [Rule] = AccessPolicy.standardRules) {
        self.rules = rules
    }

    /// The contract's table (API.md section 10).
    public static let standard = AccessPolicy()

    /// The rows of ``standard``.
    public static let standardRules: [Rule] = [
        Rule(path: .exact("/health"), methods: ["GET", "HEAD"], requirement: .open),
        Rule(path: .subtree("/dashboard"), methods: ["GET", "HEAD"], requirement: .open),
        Rule(path: .exact("/openapi.json"), methods: ["GET", "HEAD"], requirement: .open),
        Rule(path: .exact("/graphql"), methods: ["GET", "HEAD"], pageOnly: true, requirement: .open),
        // Queries (and subscriptions) are POSTed too; the gateway asks for write once it sees a mutation.
        Rule(path: .exact("/graphql"), methods: ["POST"], requirement: .read),
        Rule(path: .any, methods: ["GET", "HEAD", "OPTIONS"], requirement: .read),
        Rule(path: .any, methods: nil, requirement: .write),
    ]

    /// What a request needs.
    /// - Parameters:
    ///   - method: the method (any case).
    ///   - path: the path without the query.
    ///   - wantsPage: whether the client asks for an HTML page (`Accept: text/html` first).
    /// - Returns: the requirement of the first matching rule; `write` when none matches.
    public func requirement(method: String, path: String, wantsPage: Bool = false) -> AccessRequirement {
        let method = method.uppercased()
        for rule in rules where rule.path.matches(path) {
            if let methods = rule.methods, !methods.contains(method) { continue }
            if rule.pageOnly, !wantsPage { continue }
            return rule.requirement
        }
        return .write
    }

    /// Whether a request with this method changes state (and is audited): everything but
    /// `GET`, `HEAD` and `OPTIONS`.
    public static func isChanging(method: String) -> Bool {
        switch method.uppercased() {
        case "GET", "HEAD", "OPTIONS": false
        default: true
        }
    }
}
