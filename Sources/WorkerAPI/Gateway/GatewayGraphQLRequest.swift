import Foundation
import GraphQLLite

/// One GraphQL-over-HTTP request: the document, its variables and the operation to run.
struct GatewayGraphQLRequest: Hashable, Sendable {
    /// The GraphQL document text.
    var query: String
    /// The variables, or an empty object.
    var variables: GraphQLObject
    /// The operation to run when the document has several.
    var operationName: String?

    /// The largest request body accepted (the REST API's limit too).
    static let maxBodyBytes = 1 << 20

    /// Reads a `POST` body: a JSON object `{"query", "variables"?, "operationName"?}`, or, with
    /// `Content-Type: application/graphql`, the document itself.
    /// - Throws: ``GatewayRequestError`` naming the problem (400), or 413 for a body over 1 MiB.
    static func fromPOST(body: [UInt8], contentType: String?) throws(GatewayRequestError) -> GatewayGraphQLRequest {
        guard body.count <= maxBodyBytes else {
            throw GatewayRequestError(message: "Request body is \(body.count) bytes; the limit is \(maxBodyBytes) bytes", status: 413)
        }
        let mediaType = contentType.map(Self.mediaType) ?? ""
        if mediaType == "application/graphql" {
            guard let text = String(validating: body, as: UTF8.self) else {
                throw GatewayRequestError(message: "Request body: the GraphQL document is not valid UTF-8")
            }
            return GatewayGraphQLRequest(query: text, variables: GraphQLObject(), operationName: nil)
        }
        guard !body.isEmpty else {
            throw GatewayRequestError(message: "Request body is empty: expected a JSON object {\"query\": \"...\", \"variables\"?: {...}, \"operationName\"?: \"...\"}")
        }
        let value: GraphQLValue
        do {
            value = try GraphQLValue(json: body)
        } catch {
            throw GatewayRequestError(message: "Request body is not valid JSON (\(error.message)): expected an object {\"query\": \"...\"}")
        }
        guard case .object(let members) = value else {
            throw GatewayRequestError(message: "Request body: expected a JSON object {\"query\": \"...\"}, found \(Self.kind(of: value))")
        }
        return try fromMembers(members)
    }

    /// Reads the parameters of a `GET` request (`?query=&variables=&operationName=`); `variables` is JSON text.
    /// - Throws: ``GatewayRequestError`` naming the problem.
    static func fromGET(parameters: [String: String]) throws(GatewayRequestError) -> GatewayGraphQLRequest {
        guard let query = parameters["query"], !query.isEmpty else {
            if parameters["extensions"]?.contains("persistedQuery") == true { throw .persistedQueryNotFound }
            throw GatewayRequestError(message: "GET /graphql needs a 'query' parameter (?query={ taskStats { total } })")
        }
        var variables: GraphQLObject = [:]
        if let text = parameters["variables"], !text.isEmpty {
            let value: GraphQLValue
            do {
                value = try GraphQLValue(json: text)
            } catch {
                throw GatewayRequestError(message: "variables: not valid JSON (\(error.message)), expected an object")
            }
            switch value {
            case .object(let members): variables = members
            case .null: break
            default:
                throw GatewayRequestError(message: "variables: expected a JSON object, found \(Self.kind(of: value))")
            }
        }
        let operationName = parameters["operationName"].flatMap { $0.isEmpty ? nil : $0 }
        return GatewayGraphQLRequest(query: query, variables: variables, operationName: operationName)
    }

    /// Reads the members of a JSON request object.
    private static func fromMembers(_ members: GraphQLObject) throws(GatewayRequestError) -> GatewayGraphQLRequest {
        let query: String
        switch members["query"] {
        case .string(let text) where !text.isEmpty: query = text
        case .string: throw GatewayRequestError(message: "query: must not be empty")
        case nil, .null?:
            if case .object(let extensions)? = members["extensions"], extensions["persistedQuery"] != nil {
                throw .persistedQueryNotFound
            }
            throw GatewayRequestError(message: "query: missing; expected the GraphQL document as a string")
        case let other?: throw GatewayRequestError(message: "query: expected a string, found \(Self.kind(of: other))")
        }
        var variables: GraphQLObject = [:]
        switch members["variables"] {
        case nil, .null?: break
        case .object(let object)?: variables = object
        case let other?: throw GatewayRequestError(message: "variables: expected an object, found \(Self.kind(of: other))")
        }
        var operationName: String?
        switch members["operationName"] {
        case nil, .null?: break
        case .string(let name)?: operationName = name.isEmpty ? nil : name
        case let other?: throw GatewayRequestError(message: "operationName: expected a string, found \(Self.kind(of: other))")
        }
        return GatewayGraphQLRequest(query: query, variables: variables, operationName: operationName)
    }

    /// The media type of a `Content-Type` value, lowercased and without parameters.
    static func mediaType(_ contentType: String) -> String {
        let base = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return base.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// "an object", "a string", ... for error messages.
    static func kind(of value: GraphQLValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .float: "a number"
        case .string: "a string"
        case .list: "an array"
        case .object: "an object"
        }
    }
}
