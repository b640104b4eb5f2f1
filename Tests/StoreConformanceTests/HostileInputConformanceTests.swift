import Foundation
import TaskCore
import Testing

/// Request-derived numbers and strings at their extremes (issue 12): every store answers, none traps.
@Suite(.timeLimit(.minutes(1)))
struct HostileInputConformanceTests {
    /// C2: `offset + limit` used to overflow in the in-memory store (`?offset=9223372036854775807`).
    @Test(arguments: allStoreFactories)
    func offsetNearIntMaxIsAnEmptyPage(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for _ in 0..<3 { _ = try await store.create() }
            for offset in [Int.max, Int.max - 1, Int.max - 1000, Int(Int64.max) - 49] {
                let page = try await store.listTasks(TaskQuery(limit: 1000, offset: offset))
                #expect(page.tasks.isEmpty && page.total == 3)
            }
            let typed = try await store.listTasks(TaskQuery(statuses: [.pending], type: "t", limit: 50, offset: .max))
            #expect(typed.tasks.isEmpty)
        }
    }

    /// W6: a type of only white space names nothing and is refused, as a blank job name is.
    @Test(arguments: allStoreFactories)
    func blankTypesAreRefused(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for type in [" ", "   ", "\u{3000}", " \u{A0} "] {
                let error = await #expect(throws: TaskCoreError.self) { try await store.create(type) }
                #expect(error?.code == .invalidArgument && error?.field == "type")
            }
            let padded = try await store.create(" padded ")
            #expect(padded.type == " padded ")
        }
    }

    /// W4: a huge unknown id is not echoed back whole.
    @Test func notFoundMessagesQuoteAShortExcerpt() {
        let huge = String(repeating: "9", count: 900_000)
        let shown = TaskCoreError.excerpt(huge)
        #expect(shown.unicodeScalars.count < 100 && shown.hasSuffix("(900000 characters)"))
        #expect(TaskCoreError.excerpt("42") == "42")
        // One grapheme cluster of many combining marks is bounded too.
        let cluster = "a" + String(repeating: "\u{301}", count: 10_000)
        #expect(TaskCoreError.excerpt(cluster).utf8.count < 300)
    }
}
