import WorkerAPI

/// The access-control settings of `serve`, `worker` and `gateway` (API.md section 10).
enum AccessSettings {
    /// The middleware `--api-tokens` and `--cors-origin` describe, auditing to standard error.
    /// - Throws: ``Options/UsageError`` for a malformed token list or origin (never showing a token).
    static func make(_ options: Options) throws(Options.UsageError) -> AccessControl {
        var authenticator: TokenAuthenticator?
        if let list = options.apiTokens {
            do {
                authenticator = try TokenAuthenticator(parsing: list)
            } catch {
                throw Options.UsageError(message: "--api-tokens / WORKER_API_TOKENS: \(error.message)")
            }
        }
        let origins: [String]
        do {
            origins = try AccessControl.normalizedOrigins(options.corsOrigins)
        } catch {
            throw Options.UsageError(message: error.message)
        }
        return AccessControl(authenticator: authenticator, corsOrigins: origins, audit: .standardError)
    }

    /// The start-up lines: whether access control is on, CORS, and a warning when a non-loopback
    /// address is served without tokens.
    static func announce(_ access: AccessControl, options: Options) {
        if let tokens = access.authenticator as? TokenAuthenticator {
            let counts = tokens.tokenCounts
            DemoApp.log(
                "access control: on (\(counts[.read] ?? 0) read and \(counts[.write] ?? 0) write tokens); "
                    + "/health and the dashboard and playground pages are open")
        } else {
            DemoApp.log("access control: off (no --api-tokens): anyone who can reach the ports may read and change everything")
            if !isLoopback(options.host) {
                DemoApp.log(
                    "WARNING: listening on \(options.host), which is not a loopback address, without --api-tokens: "
                        + "every client that can reach it may create, cancel and delete tasks and jobs; "
                        + "set --api-tokens (or WORKER_API_TOKENS) and put a TLS proxy in front (Docs/SECURITY.md)")
            }
        }
        DemoApp.log(
            access.corsOrigins.isEmpty
                ? "CORS: off (no --cors-origin)" : "CORS: allowed origins \(access.corsOrigins.joined(separator: ", "))")
    }

    /// Whether `host` is a loopback address or name (`127.0.0.0/8`, `::1`, `localhost`).
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
            || host.hasSuffix(".localhost")
    }
}
