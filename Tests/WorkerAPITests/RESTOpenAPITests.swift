import Foundation
import Testing
import WorkerAPI

@Suite struct RESTOpenAPITests {
    /// `Web/openapi/openapi.json` (served at `/openapi.json`), found from this file's location.
    static let documentPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Web/openapi/openapi.json").path

    /// The `METHOD /path` pairs of the document's `paths`.
    static func documentedRoutes(_ document: [String: Any]) -> Set<String> {
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        var routes: Set<String> = []
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for key in (item as? [String: Any] ?? [:]).keys where methods.contains(key) {
                routes.insert("\(key.uppercased()) \(path)")
            }
        }
        return routes
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.documentPath))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let documented = Self.documentedRoutes(document)
        let served = Set(RESTRouter.routes.map(\.description))
        #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(documented.count >= 21)
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
    }

    @Test func theDocumentIsServedAsItIsInTheRepository() async throws {
        let rest = RESTHarness()
        let answer = await rest.send("GET", "/openapi.json")
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/json")
        #expect(answer.response.body == Array(try Data(contentsOf: URL(fileURLWithPath: Self.documentPath))))
    }
}
