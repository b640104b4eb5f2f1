import Testing
@testable import WorkerAPI

@Suite struct TokenAuthenticatorTests {
    static func request(_ token: String?) -> AuthenticationRequest {
        AuthenticationRequest(method: "GET", path: "/api/tasks", headers: [], bearerToken: token)
    }

    @Test func parsesRolesAndTokens() async throws {
        let tokens = try TokenAuthenticator(parsing: " read:aaa , write:bbb,READ:ccc,")
        #expect(tokens.tokenCounts == [.read: 2, .write: 1])
        #expect(await tokens.authenticate(Self.request("aaa")) == .authenticated(.read))
        #expect(await tokens.authenticate(Self.request("bbb")) == .authenticated(.write))
        #expect(await tokens.authenticate(Self.request("ccc")) == .authenticated(.read))
        #expect(await tokens.authenticate(Self.request("aa")) == .refused(reason: "the bearer token is not valid"))
        #expect(await tokens.authenticate(Self.request("aaaa")) == .refused(reason: "the bearer token is not valid"))
        #expect(await tokens.authenticate(Self.request("")) != .authenticated(.read))
        #expect(await tokens.authenticate(Self.request(nil)) == .missingCredentials)
    }

    @Test func aTokenListedWithBothRolesHasWrite() async throws {
        let tokens = try TokenAuthenticator(parsing: "read:same,write:same")
        #expect(await tokens.authenticate(Self.request("same")) == .authenticated(.write))
    }

    @Test func tokensMayContainColons() async throws {
        let tokens = try TokenAuthenticator(parsing: "write:a:b:c")
        #expect(await tokens.authenticate(Self.request("a:b:c")) == .authenticated(.write))
    }

    @Test(arguments: [
        ("", "no role:token entries"),
        (" , ", "no role:token entries"),
        ("secret-without-role", "entry 1 is not role:token"),
        ("read:ok,admin:topsecret", "entry 2 has the role 'admin'"),
        ("read:", "entry 1 has an empty token"),
        ("write:has space", "entry 1 has a token with a space"),
    ])
    func malformedListsNameTheEntryNotTheToken(list: String, message: String) {
        let error = #expect(throws: AccessConfigurationError.self) { try TokenAuthenticator(parsing: list) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        for secret in ["secret-without-role", "topsecret", "has space"] {
            #expect(error?.message.contains(secret) == false)
        }
    }

    @Test func descriptionNeverShowsTokens() throws {
        let tokens = try TokenAuthenticator(parsing: "read:visible-if-leaked")
        #expect(!String(describing: tokens).contains("visible-if-leaked"))
        #expect(!String(reflecting: tokens).contains("visible-if-leaked"))
    }

    @Test(arguments: [
        ("abc", "abc", true), ("abc", "abd", false), ("abc", "ab", false), ("abc", "abcd", false),
        ("abc", "", false), ("a", "a", true), ("abcabc", "abc", false),
    ])
    func constantTimeComparisonIsEquality(expected: String, presented: String, equal: Bool) {
        #expect(TokenAuthenticator.constantTimeEqual(Array(expected.utf8), Array(presented.utf8)) == equal)
    }

    @Test func writeIncludesRead() {
        #expect(AccessRole.write.satisfies(.read))
        #expect(AccessRole.write.satisfies(.write))
        #expect(AccessRole.read.satisfies(.read))
        #expect(!AccessRole.read.satisfies(.write))
        #expect(AccessRole.read.satisfies(.open))
    }
}
