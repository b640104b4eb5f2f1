import Foundation
import TaskCore
import Testing
import WorkerAPI

/// An HTTP answer of the gateway, with helpers to read it.
struct GatewayTestAnswer {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON (`.null` if it is not JSON).
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null }

    /// `data` of a GraphQL answer.
    var data: JSONValue? { json["data"] }

    /// The errors of a GraphQL answer (empty when none).
    var errors: [JSONValue] { json["errors"]?.arrayValue ?? [] }

    /// The `extensions.code` of each error.
    var errorCodes: [String] { errors.compactMap { $0["extensions"]?["code"]?.stringValue } }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A gateway over a backend, called without a socket.
struct GatewayClient {
    let handler: GatewayHTTPHandler

    init(backend: any WorkerBackend) {
        handler = GatewayHTTPHandler(backend: backend)
    }

    func send(
        _ method: String, _ path: String, query: String? = nil, headers: [(String, String)] = [], body: [UInt8] = []
    ) async -> GatewayTestAnswer {
        let answer = await handler.handle(method: method, path: path, query: query, headers: headers, body: body)
        return GatewayTestAnswer(status: answer.status, headers: answer.headers, body: answer.body)
    }

    /// POSTs a GraphQL request as JSON.
    func post(_ document: String, variables: JSONValue? = nil, operationName: String? = nil) async -> GatewayTestAnswer {
        var members: [String: JSONValue] = ["query": .string(document)]
        if let variables { members["variables"] = variables }
        if let operationName { members["operationName"] = .string(operationName) }
        let body = try! JSONEncoder().encode(JSONValue.object(members))
        return await send("POST", "/graphql", headers: [("Content-Type", "application/json")], body: Array(body))
    }

    /// GETs a GraphQL request with the document in the query string.
    func get(_ document: String, variables: String? = nil, headers: [(String, String)] = []) async -> GatewayTestAnswer {
        var items = [URLQueryItem(name: "query", value: document)]
        if let variables { items.append(URLQueryItem(name: "variables", value: variables)) }
        var components = URLComponents()
        components.queryItems = items
        let query = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return await send("GET", "/graphql", query: query, headers: headers)
    }
}
