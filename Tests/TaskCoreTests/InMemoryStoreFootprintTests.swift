import Foundation
import Synchronization
@testable import TaskCore
import Testing

/// What the in-memory store keeps of tasks that are gone (issue 12, D4 repeated: rounds of 20,000
/// tasks created, cancelled and deleted grew the process by about 16 MB a round, because a deleted
/// task kept its whole slot, with a freshly allocated log, for good).
@Suite struct InMemoryStoreFootprintTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func deletedTasksGiveTheirSlotsBack() async throws {
        let store = InMemoryTaskStore()
        for round in 0..<3 {
            let created = try await store.createTasks((0..<500).map { NewTask(type: "t\(round)-\($0)") }, now: now)
            let ids = created.map(\.task.id)
            for id in ids { _ = try await store.cancelTask(id, now: now) }
            #expect(try await store.deleteFinalTasks(ids).count == 500)
            #expect(store.state.withLock { $0.slots.count } == 0, "round \(round): no slot is left")
        }
        // Ids go on from where they were; deleted ones stay unknown.
        #expect(try await store.createTask(NewTask(type: "email"), now: now).task.id == 1501)
        await #expect(throws: TaskCoreError.self) { _ = try await store.task(1) }
        await #expect(throws: TaskCoreError.self) { _ = try await store.task(1500) }
        #expect(try await store.stats().total == 1)
    }

    @Test func aTaskInFrontKeepsLaterTombstonesButTheyHoldNothing() async throws {
        let store = InMemoryTaskStore()
        let kept = try await store.createTask(NewTask(type: "email"), now: now).task
        let big = NewTask(type: "email", payload: ["blob": .string(String(repeating: "x", count: 10_000))])
        let gone = try await store.createTask(big, now: now).task
        _ = try await store.cancelTask(gone.id, now: now)
        #expect(try await store.deleteFinalTasks([gone.id]) == [gone.id])
        let tombstone = store.state.withLock { state in state.slots[state.slotIndex(gone.id.rawValue)] }
        #expect(tombstone.deleted && tombstone.record.payload == .null && tombstone.record.error == nil)
        #expect(tombstone.log.count == 0)
        // Once the task in front goes, every tombstone goes with it.
        _ = try await store.cancelTask(kept.id, now: now)
        _ = try await store.deleteFinalTasks([kept.id])
        #expect(store.state.withLock { $0.slots.count } == 0)
        #expect(try await store.createTask(NewTask(type: "email"), now: now).task.id == 3)
    }

    @Test func typesWithoutTasksAreReusedNotKeptForEver() async throws {
        let store = InMemoryTaskStore()
        let lease = Duration.seconds(30)
        for round in 0..<4 {
            let drafts = (0..<200).map { NewTask(type: "r\(round)-\($0)", priority: $0 % 2 == 0 ? .normal : .high) }
            let ids = try await store.createTasks(drafts, now: now).map(\.task.id)
            #expect(try await store.stats().byType.count == 200)
            for id in ids { _ = try await store.cancelTask(id, now: now) }
            _ = try await store.deleteFinalTasks(ids)
            let (types, names, lanes) = store.state.withLock { ($0.types.count, $0.typeIndexByName.count, $0.lanes.count) }
            // One entry per type at once, and at most a lane per priority used for each.
            #expect(types == 200 && names == 0 && lanes <= 400, "round \(round): \(types) types, \(names) names, \(lanes) lanes")
        }
        #expect(try await store.stats().byType.isEmpty)
        // A type that reuses an entry (and its lanes) is listed, counted and claimed as any other.
        let task = try await store.createTask(NewTask(type: "email", priority: .high), now: now).task
        #expect(try await store.stats().byType["email"]?[.pending] == 1)
        #expect(try await store.listTasks(TaskQuery(type: "email")).tasks.map(\.id) == [task.id])
        #expect(try await store.listTasks(TaskQuery(type: "r3-1")).tasks.isEmpty)
        let claimed = try await store.claimTasks(types: ["email", "r3-1"], worker: "w", limit: 5, leaseDuration: lease, now: now)
        #expect(claimed.map(\.id) == [task.id])
        // A type that still has a task keeps its entry.
        let kept = try await store.createTask(NewTask(type: "kept"), now: now).task
        let other = try await store.createTask(NewTask(type: "kept"), now: now).task
        _ = try await store.cancelTask(other.id, now: now)
        _ = try await store.deleteFinalTasks([other.id])
        #expect(try await store.stats().byType["kept"]?[.pending] == 1)
        #expect(try await store.claimTasks(types: ["kept"], worker: "w", limit: 5, leaseDuration: lease, now: now).map(\.id) == [kept.id])
    }
}
