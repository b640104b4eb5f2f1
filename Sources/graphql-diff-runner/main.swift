// graphql-diff-runner: GraphQLLite's side of the differential test against graphql-core
// (scripts/test-graphql-differential.sh, Docs/GRAPHQL_DIFFERENTIAL.md).
//
//   graphql-diff-runner sdl  gateway|rich   print the schema as SDL
//   graphql-diff-runner data gateway|rich   print the fixed data as JSON
//   graphql-diff-runner run  gateway|rich   read {"query","variables","operationName"} lines on stdin,
//                                           write {"failure":…,"response":{…}} lines on stdout
import Foundation
import GraphQLLite
import WorkerAPI

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let command = arguments.first, let schemaName = arguments.last,
      ["sdl", "data", "run"].contains(command), ["gateway", "rich"].contains(schemaName) else {
    print("usage: graphql-diff-runner sdl|data|run gateway|rich")
    exit(2)
}

let fixture = schemaName == "gateway" ? try await GatewayFixture.make() : nil
let richEngine = GraphQLEngine(schema: RichSchema.schema)

switch command {
case "sdl":
    print(fixture == nil ? RichSchema.schema.sdl : GatewaySchema.schema.sdl)
case "data":
    print(try await fixture?.exportJSON().jsonString() ?? GraphQLValue.object(RichSchema.data).jsonString())
default:
    while let line = readLine(strippingNewline: true) {
        guard !line.isEmpty else { continue }
        let response: GraphQLResponse
        do {
            let request = try GraphQLRequest(json: Array(line.utf8))
            if let fixture {
                response = await fixture.gateway.execute(
                    request.query, variables: request.variables, operationName: request.operationName, allowMutations: false)
            } else {
                response = await richEngine.execute(request)
            }
        } catch {
            response = GraphQLResponse(data: nil, errors: [error], failure: .request)
        }
        let failure = response.failure.map { "\"\($0.rawValue)\"" } ?? "null"
        print("{\"failure\":\(failure),\"response\":\(response.jsonString())}")
    }
}
