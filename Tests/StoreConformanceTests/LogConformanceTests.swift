import Foundation
import TaskCore
import Testing

/// The lifecycle lines stores write, handler lines, limits and the per-task cap.
@Suite(.timeLimit(.minutes(1)))
struct LogConformanceTests {
    @Test(arguments: allStoreFactories)
    func lifecycleLinesAreWrittenInOrder(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let first = try await store.claimOne(now: at(1))
            try await store.appendLog(1, token: first.token, level: .debug, message: "handler says hi", now: at(1.1))
            _ = try await store.failTask(1, token: first.token, error: "boom", retryAt: at(5), now: at(2))
            let second = try await store.claimOne(now: at(5))
            _ = try await store.completeTask(1, token: second.token, result: nil, now: at(5.25))
            let logs = try await store.logs(1, limit: 100)
            let expected: [(TaskLogEntry.Level, String, Int?, Date)] = [
                (.info, "created", nil, t0),
                (.info, "attempt 1 started", 1, at(1)),
                (.debug, "handler says hi", 1, at(1.1)),
                (.error, "attempt 1 failed: boom", 1, at(2)),
                (.warn, "retry scheduled for 2026-11-29T02:00:05.000Z", 1, at(2)),
                (.info, "attempt 2 started", 2, at(5)),
                (.info, "completed in 250 ms", 2, at(5.25)),
            ]
            #expect(logs.count == expected.count)
            for (entry, (level, message, attempt, time)) in zip(logs, expected) {
                #expect(entry.level == level && entry.message == message, "\(entry)")
                #expect(entry.attempt == attempt && entry.timestamp == time, "\(entry)")
            }
        }
    }

    @Test(arguments: allStoreFactories)
    func cancelReleaseRetryAndExpiryAreLogged(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(maxAttempts: 5)
            let first = try await store.claimOne()
            _ = try await store.releaseTask(1, token: first.token, now: at(1))
            _ = try await store.claimOne(now: at(2))
            _ = try await store.recoverExpiredLeases(now: at(40))
            _ = try await store.claimOne(now: at(41))
            _ = try await store.cancelTask(1, now: at(42))
            _ = try await store.retryTask(1, resetAttempts: false, now: at(43))
            let lines = try await store.logs(1, limit: 100).map(\.message)
            #expect(lines.count == 8)
            #expect(lines[0] == "created" && lines[1] == "attempt 1 started")
            #expect(lines[2].hasPrefix("released"))
            #expect(lines[3] == "attempt 1 started")
            #expect(lines[4].hasPrefix("lease expired"))
            #expect(lines[5] == "attempt 2 started")
            #expect(lines[6] == "cancelled")
            #expect(lines[7].hasPrefix("manual retry"))
            let levels = try await store.logs(1, limit: 100).map(\.level)
            #expect(levels[4] == .warn && levels[6] == .warn)
        }
    }

    @Test(arguments: allStoreFactories)
    func limitTakesTheOldestLines(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            for index in 1...20 {
                try await store.appendLog(1, token: nil, level: .info, message: "line \(index)", now: at(Double(index)))
            }
            let first = try await store.logs(1, limit: 3).map(\.message)
            #expect(first == ["created", "line 1", "line 2"])
            #expect(try await store.logs(1, limit: 1000).count == 21)
            for limit in [0, 1001] {
                let error = await expectError(.invalidArgument) { _ = try await store.logs(1, limit: limit) }
                #expect(error?.field == "limit")
            }
        }
    }

    @Test(arguments: allStoreFactories)
    func theLineCapDropsTheOldestWithANote(factory: StoreFactory) async throws {
        try await factory.withStore(StoreOptions(maxLogLinesPerTask: 10)) { store in
            _ = try await store.create()
            for index in 1...25 {
                try await store.appendLog(1, token: nil, level: .info, message: "line \(index)", now: at(Double(index)))
            }
            let logs = try await store.logs(1, limit: 1000)
            #expect(logs.count == 10)
            // 26 lines were written; 9 are kept after the note, so 17 were dropped.
            #expect(logs[0].message.contains("17"), "\(logs[0].message)")
            #expect(logs[0].message.contains("dropped"), "\(logs[0].message)")
            #expect(logs.dropFirst().map(\.message) == (17...25).map { "line \($0)" })
        }
    }

    @Test(arguments: allStoreFactories)
    func theByteCapDropsTheOldestWithANote(factory: StoreFactory) async throws {
        try await factory.withStore(StoreOptions(maxLogBytesPerTask: 1000)) { store in
            _ = try await store.create()
            let long = String(repeating: "x", count: 290)
            for index in 0..<10 {
                try await store.appendLog(1, token: nil, level: .info, message: "\(index)\(long)", now: at(Double(index)))
            }
            let logs = try await store.logs(1, limit: 1000)
            #expect(logs.first?.message.contains("dropped") == true)
            #expect(logs.last?.message == "9\(long)")
            let kept = logs.dropFirst().map(\.message.utf8.count).reduce(0, +)
            #expect(kept <= 1000 && logs.count >= 3)
        }
    }
}
