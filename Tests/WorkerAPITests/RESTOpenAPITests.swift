import Foundation
import Testing
import WorkerAPI

@Suite struct RESTOpenAPITests {
    /// `Docs/openapi.yaml`, found from this file's location.
    static let yamlPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/openapi.yaml").path

    /// The `METHOD /path` pairs under `paths:`, read line by line: a path is a two-space-indented key
    /// starting with `/`, an operation a four-space-indented HTTP method key.
    static func documentedRoutes(_ text: String) -> Set<String> {
        var routes: Set<String> = []
        var inPaths = false
        var currentPath: String?
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line.hasPrefix("paths:")
                currentPath = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let currentPath {
                let key = line.dropFirst(4).prefix { $0 != ":" }
                if methods.contains(String(key)) { routes.insert("\(key.uppercased()) \(currentPath)") }
            }
        }
        return routes
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let text = try String(contentsOfFile: Self.yamlPath, encoding: .utf8)
        let documented = Self.documentedRoutes(text)
        let served = Set(RESTRouter.routes.map(\.description))
        #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(documented.count >= 21)
        #expect(text.hasPrefix("openapi: 3.1"))
    }
}
