import Foundation
import GraphQLLite
import Testing

/// Builds the gateway schema of the contract (section 3 of API.md) with dummy resolvers and checks
/// that the SDL printer writes the contract's SDL.
///
/// Normalisation (documented in Docs/GRAPHQLLITE.md): both texts are split into lexical tokens
/// (whitespace, commas and line breaks ignored), then into type definitions; the two must hold the
/// same definitions, each with the same tokens in the same order. Only the order of the type
/// definitions themselves and the layout may differ.
@Suite struct ContractSchemaTests {
    static let contractSDL = """
    scalar JSON
    scalar DateTime
    enum TaskStatus { PENDING PROCESSING COMPLETED FAILED CANCELLED RETRYING }
    enum JobStatus { ACTIVE PAUSED FAILED }
    enum Priority { LOW NORMAL HIGH CRITICAL }

    type Task {
      id: ID!  type: String!  status: TaskStatus!  priority: Priority!  priorityValue: Int!
      payload: JSON!  result: JSON  error: String  attempts: Int!  maxAttempts: Int!  jobId: ID
      runAt: DateTime!  createdAt: DateTime!  updatedAt: DateTime!  startedAt: DateTime
      completedAt: DateTime  progress: Int  uniqueKey: String  logs(limit: Int = 100): [TaskLog!]!
    }
    type TaskLog { timestamp: DateTime!  level: String!  message: String!  attempt: Int }
    type TaskList { tasks: [Task!]!  total: Int! }
    type TaskStats { total: Int!  pending: Int!  processing: Int!  completed: Int!  failed: Int!
                     cancelled: Int!  retrying: Int! }
    type Job { id: ID!  name: String!  type: String!  schedule: String!  timezone: String!
               payload: JSON!  priority: Priority!  status: JobStatus!  lastRun: DateTime
               nextRun: DateTime  runCount: Int!  createdAt: DateTime! }
    input CreateTaskInput { type: String!  payload: JSON = {}  priority: Priority = NORMAL
                            maxAttempts: Int  runAt: DateTime  uniqueKey: String }
    input CreateJobInput { name: String!  type: String!  schedule: String!  payload: JSON = {}
                           timezone: String = "UTC"  priority: Priority = NORMAL }
    input UpdateJobInput { name: String  schedule: String  payload: JSON  timezone: String
                           priority: Priority }
    type Query {
      tasks(status: TaskStatus, type: String, limit: Int = 50, offset: Int = 0): TaskList!
      task(taskId: ID!): Task
      taskLogs(taskId: ID!, limit: Int = 100): [TaskLog!]!
      taskStats: TaskStats!
      jobs: [Job!]!
      job(jobId: ID!): Job
    }
    type Mutation {
      createTask(input: CreateTaskInput!): Task!
      cancelTask(taskId: ID!): Boolean!
      retryTask(taskId: ID!, resetAttempts: Boolean = false): Task!
      createJob(input: CreateJobInput!): Job!
      pauseJob(jobId: ID!): Boolean!
      resumeJob(jobId: ID!): Boolean!
      deleteJob(jobId: ID!): Boolean!
      triggerJob(jobId: ID!): Task!
      updateJob(jobId: ID!, input: UpdateJobInput!): Job!
    }
    """

    @Test func printsTheContractSchema() throws {
        let schema = try ContractSchema.make()
        #expect(Self.definitions(schema.sdl) == Self.definitions(Self.contractSDL))
    }

    @Test func printerWritesOneFieldPerLine() throws {
        let sdl = try ContractSchema.make().sdl
        #expect(sdl.contains("type TaskLog {\n  timestamp: DateTime!\n  level: String!\n  message: String!\n  attempt: Int\n}"))
        #expect(sdl.contains("  logs(limit: Int = 100): [TaskLog!]!\n"))
        #expect(sdl.contains("input CreateJobInput {\n  name: String!\n  type: String!\n  schedule: String!\n  payload: JSON = {}\n  timezone: String = \"UTC\"\n  priority: Priority = NORMAL\n}"))
    }

    @Test(.timeLimit(.minutes(1))) func executesContractQueriesWithDefaults() async throws {
        let engine = GraphQLEngine(schema: try ContractSchema.make())
        let response = await engine.execute(
            #"mutation { createTask(input: {type: "email", payload: {to: "a@b.c", n: [1, 2]}}) { id type priority payload createdAt } }"#
        )
        #expect(response.jsonString() == #"{"data":{"createTask":{"id":"1","type":"email","priority":"NORMAL","payload":{"to":"a@b.c","n":[1,2]},"createdAt":"2026-11-29T02:00:00.000Z"}}}"#)
        let missing = await engine.execute(#"{ task(taskId: "404") { id } }"#)
        #expect(missing.jsonString() == #"{"errors":[{"message":"Task 404 not found","locations":[{"line":1,"column":3}],"path":["task"],"extensions":{"code":"NOT_FOUND"}}],"data":{"task":null}}"#)
    }

    /// Splits SDL into normalised type definitions (token lists), sorted.
    static func definitions(_ sdl: String) -> [[String]] {
        var definitions: [[String]] = []
        var depth = 0
        for token in tokens(sdl) {
            if depth == 0, ["scalar", "enum", "type", "input", "interface", "union", "schema"].contains(token) {
                definitions.append([])
            }
            if token == "{" || token == "(" { depth += 1 }
            if token == "}" || token == ")" { depth -= 1 }
            if definitions.isEmpty { definitions.append([]) }
            definitions[definitions.count - 1].append(token)
        }
        return definitions.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
    }

    /// Lexical tokens without descriptions (strings that are not a default or argument value).
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        for token in rawTokens(text) {
            if token.hasPrefix("\""), result.last != "=", result.last != ":" { continue }
            result.append(token)
        }
        return result
    }

    /// Lexical tokens: names, numbers, strings, block strings, punctuators; whitespace and commas dropped.
    static func rawTokens(_ text: String) -> [String] {
        var text = Substring(text)
        var blockTokens: [String] = []
        // Block strings first: replace each with a placeholder string token.
        while let start = text.range(of: "\"\"\"") {
            guard let end = text[start.upperBound...].range(of: "\"\"\"") else { break }
            blockTokens.append(String(text[start.lowerBound..<end.upperBound]))
            text = text[..<start.lowerBound] + " \"BLOCK\" " + text[end.upperBound...]
        }
        _ = blockTokens
        var tokens: [String] = []
        var current = ""
        var inString = false
        for character in text {
            if inString {
                current.append(character)
                if character == "\"" {
                    tokens.append(current)
                    current = ""
                    inString = false
                }
                continue
            }
            switch character {
            case " ", "\n", "\t", ",":
                if !current.isEmpty { tokens.append(current); current = "" }
            case "{", "}", "(", ")", "[", "]", ":", "!", "=", "|", "&", "@":
                if !current.isEmpty { tokens.append(current); current = "" }
                tokens.append(String(character))
            case "\"":
                if !current.isEmpty { tokens.append(current) }
                current = "\""
                inString = true
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
