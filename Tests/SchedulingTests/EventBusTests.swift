import Foundation
import Scheduling
import TaskCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct EventBusTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func task(_ id: Int64, type: String = "email", jobId: JobID? = nil, status: TaskStatus = .pending) -> TaskRecord {
        TaskRecord(id: TaskID(id), type: type, status: status, jobId: jobId, runAt: now, createdAt: now, updatedAt: now)
    }

    @Test func subscribersReceiveEventsInOrderWithIncreasingIds() async {
        let bus = EventBus()
        let subscription = bus.subscribe()
        for id in 1...5 { bus.publish(.task(Self.task(Int64(id)))) }
        var ids: [UInt64] = []
        var tasks: [TaskID?] = []
        for _ in 0..<5 {
            let next = await subscription.next()
            ids.append(next?.id ?? 0)
            tasks.append(next?.event.taskID)
        }
        #expect(ids == [1, 2, 3, 4, 5])
        #expect(tasks == (1...5).map { TaskID(Int64($0)) })
        #expect(bus.lastEventID == 5)
    }

    @Test func filtersCombineWithAndAndNeedTheAttribute() {
        let job = ScheduledJob(
            id: 3, name: "n", type: "backup", schedule: "* * * * *", nextRun: nil, createdAt: Self.now, updatedAt: Self.now)
        let events: [ChangeEvent] = [
            .task(Self.task(1)), .task(Self.task(2, type: "backup", jobId: 3)), .job(job), .jobDeleted(3),
        ]
        func matching(_ filter: EventFilter) -> [Int] {
            events.indices.filter { filter.matches(events[$0]) }
        }
        #expect(matching(.all) == [0, 1, 2, 3])
        #expect(matching(EventFilter(taskID: 2)) == [1])  // no job events with taskId
        #expect(matching(EventFilter(type: "backup")) == [1, 2])  // a deleted job carries no type
        #expect(matching(EventFilter(jobID: 3)) == [1, 2, 3])
        #expect(matching(EventFilter(kinds: [.job], jobID: 3)) == [2, 3])
        #expect(matching(EventFilter(kinds: [.task], type: "email")) == [0])
        #expect(matching(EventFilter(queue: "default")) == [0, 1, 2])  // tasks and jobs carry their queue
        #expect(matching(EventFilter(batchID: "1")).isEmpty)  // none of these is in a batch
    }

    @Test func aFullSubscriberIsEndedWithOverflowWithoutBlockingThePublisher() async {
        let bus = EventBus()
        let slow = bus.subscribe(bufferSize: 2)
        let fast = bus.subscribe(bufferSize: 100)
        for id in 1...3 { bus.publish(.task(Self.task(Int64(id)))) }
        #expect(slow.endReason == .overflow)
        #expect(await slow.next() == nil)
        #expect(bus.subscriberCount == 1)
        #expect(fast.bufferedCount == 3)
        #expect(fast.endReason == nil)
    }

    @Test func taskBoundSubscribersSeeOnlyTheirTask() async {
        let bus = EventBus()
        let one = bus.subscribe(EventFilter(taskID: 7))
        for id in [6, 7, 8, 7] { bus.publish(.task(Self.task(Int64(id)))) }
        #expect(one.bufferedCount == 2)
        #expect(await one.next()?.id == 2)
        #expect(await one.next()?.id == 4)
        one.cancel()
        #expect(bus.subscriberCount == 0)
        #expect(await one.next() == nil)
        #expect(one.endReason == .cancelled)
    }

    @Test func resumingAfterAnIdReplaysTheRingAndSaysWhenItCannot() async {
        let bus = EventBus(replayCapacity: 3)
        let listener = bus.subscribe()  // someone listens, so the ring records
        for id in 1...5 { bus.publish(.task(Self.task(Int64(id)))) }  // the ring keeps 3, 4, 5
        listener.cancel()
        let resumed = bus.subscribe(after: 3)
        #expect(!resumed.replayIncomplete)
        #expect(await resumed.next()?.id == 4)
        #expect(await resumed.next()?.id == 5)
        let gap = bus.subscribe(after: 1)
        #expect(gap.replayIncomplete)
        #expect(await gap.next()?.id == 3)
        let foreign = bus.subscribe(after: 99)  // an id from an earlier process
        #expect(foreign.replayIncomplete && foreign.bufferedCount == 0)
    }

    @Test func theRingRecordsOnlyWhileAResumeCouldUseIt() async {
        let bus = EventBus(replayCapacity: 3)
        // No one has subscribed yet: nothing is kept, and a resume says so.
        for id in 1...2 { bus.publish(.task(Self.task(Int64(id)))) }
        let early = bus.subscribe(after: 1)
        #expect(early.replayIncomplete && early.bufferedCount == 0)
        early.cancel()
        // The last subscriber left after event 2: the next 3 events are still kept for it ...
        for id in 3...5 { bus.publish(.task(Self.task(Int64(id)))) }
        let inTime = bus.subscribe(after: 2)
        #expect(!inTime.replayIncomplete)
        #expect(await inTime.next()?.id == 3)
        #expect(inTime.bufferedCount == 2)
        inTime.cancel()
        // ... and once as many events as the ring holds passed with no one listening, it empties:
        // a resume from before them could not be complete anyway.
        for id in 6...9 { bus.publish(.task(Self.task(Int64(id)))) }
        let late = bus.subscribe(after: 8)
        #expect(late.replayIncomplete && late.bufferedCount == 0)
        // Recording resumes with the new subscriber.
        bus.publish(.task(Self.task(10)))
        late.cancel()
        let resumed = bus.subscribe(after: 9)
        #expect(!resumed.replayIncomplete)
        #expect(await resumed.next()?.id == 10)
    }

    @Test func closingEndsEverySubscription() async {
        let bus = EventBus()
        let subscription = bus.subscribe()
        let waiting = Task { await subscription.next() }
        bus.close()
        #expect(await waiting.value == nil)
        #expect(subscription.endReason == .closed)
        #expect(bus.publish(.jobDeleted(1)) == nil)
        #expect(bus.subscribe().endReason == .closed)
    }

    @Test func theServicePublishesEveryChangeOfATaskAndAJob() async throws {
        let t = TestService()
        let subscription = t.service.changes.subscribe()
        t.service.register("a") { _, context in
            try await context.progress(50)
            return ["ok": true]
        }
        // Created before the pool runs (a claim before the creator's publish is the next test's).
        let created = try await t.service.createTask(NewTask(type: "a")).task
        try await t.running {
            var statuses: [TaskStatus] = []
            var progress: [Int?] = []
            while statuses.last != .completed {
                guard let next = await subscription.next(), case .task(let task) = next.event else { break }
                #expect(task.id == created.id)
                statuses.append(task.status)
                progress.append(task.progress)
            }
            #expect(statuses == [.pending, .processing, .processing, .completed])
            #expect(progress == [nil, nil, 50, 50])  // the store keeps the last progress
            let job = try await t.service.createJob(NewJob(name: "j", type: "a", schedule: "0 0 * * *"))
            _ = try await t.service.pauseJob(job.id)
            try await t.service.deleteJob(job.id)
            var jobEvents: [String] = []
            while jobEvents.count < 3, let next = await subscription.next() {
                switch next.event {
                case .job(let job): jobEvents.append(job.status.rawValue)
                case .jobDeleted(let id): jobEvents.append("deleted \(id)")
                default: break
                }
            }
            #expect(jobEvents == ["active", "paused", "deleted \(job.id)"])
        }
    }

    /// A pool that claims a task before its creator has published it (seen on the release build in
    /// CI: `processing` came before `pending`) must not publish first: the claim's events wait for
    /// the create's, so a subscriber that keeps the latest state per task ends on `completed`.
    @Test(.timeLimit(.minutes(1)))
    func aTaskClaimedBeforeItsCreatorPublishesIsStillPublishedInOrder() async throws {
        let store = ClaimBeforeReturnStore()
        let t = TestService(store: store)
        let subscription = t.service.changes.subscribe()
        t.service.register("a") { _, _ in ["ok": true] }
        try await t.running {
            await t.settle()
            let created = try await t.service.createTask(NewTask(type: "a")).task
            var statuses: [TaskStatus] = []
            while statuses.last != .completed, statuses.count < 10 {
                guard let next = await subscription.next(), case .task(let task) = next.event else { break }
                #expect(task.id == created.id)
                statuses.append(task.status)
            }
            #expect(statuses == [.pending, .processing, .completed])
        }
    }

    /// The same for a dependent that its dependency's completion made ready: the follow-up read that
    /// publishes it may see it `pending` while the pool already claims it.
    @Test(.timeLimit(.minutes(1)))
    func aDependentClaimedWhileItIsReadIsStillPublishedInOrder() async throws {
        let t = TestService(store: ClaimDuringReadStore())
        t.service.register("a") { _, _ in ["ok": true] }
        let first = try await t.create("a")
        let second = try await t.create("a") { $0.dependsOn = [first.id] }
        let subscription = t.service.changes.subscribe(EventFilter(taskID: second.id))
        try await t.running {
            var statuses: [TaskStatus] = []
            while statuses.last != .completed, statuses.count < 10 {
                guard let next = await subscription.next(), case .task(let task) = next.event else { break }
                statuses.append(task.status)
            }
            #expect(statuses == [.pending, .processing, .completed])
        }
    }

    @Test func queueAndBatchAttributesMatchTheirFilters() {
        var inQueue = Self.task(1)
        inQueue.queue = "emails"
        var inBatch = Self.task(2)
        inBatch.batchId = BatchID(4)
        let queue = QueueInfo(settings: QueueSettings(name: "emails", concurrency: 2))
        let batch = BatchRecord(
            id: BatchID(4), taskIds: [2], callbackTaskId: nil, counts: TaskStats.Counts(), createdAt: Self.now,
            finishedAt: nil)
        let events: [ChangeEvent] = [.task(inQueue), .task(inBatch), .queue(queue), .batch(batch)]
        func matching(_ filter: EventFilter) -> [Int] { events.indices.filter { filter.matches(events[$0]) } }
        #expect(matching(EventFilter(queue: "emails")) == [0, 2])
        #expect(matching(EventFilter(queue: "default")) == [1])  // a task's default queue
        #expect(matching(EventFilter(batchID: "4")) == [1, 3])
        #expect(matching(EventFilter(kinds: [.queue, .batch])) == [2, 3])
        #expect(matching(EventFilter(taskID: 2)) == [1])  // a batch event carries no task id
        #expect(events.map(\.kind) == [.task, .task, .queue, .batch])
    }

    @Test func aQueueSettingChangeIsPublished() async throws {
        let t = TestService()
        let subscription = t.service.changes.subscribe(EventFilter(kinds: [.queue]))
        _ = try await t.service.updateQueue("emails", QueueUpdate(concurrency: .some(3)))
        _ = try await t.service.updateQueue("emails", QueueUpdate(paused: true))
        var seen: [String] = []
        while seen.count < 2, let next = await subscription.next(), case .queue(let queue) = next.event {
            seen.append("\(queue.name) \(queue.settings.concurrency ?? 0) \(queue.settings.paused)")
        }
        #expect(seen == ["emails 3 false", "emails 3 true"])
    }

    /// The store cancels a failed task's dependents in the same step; the service reports them
    /// (transitively), though no operation of its own returned them.
    @Test func dependentsCancelledByTheStoreArePublished() async throws {
        let t = TestService()
        let subscription = t.service.changes.subscribe(EventFilter(kinds: [.task]))
        let first = try await t.create("a")
        let second = try await t.create("a") { $0.dependsOn = [first.id] }
        let third = try await t.create("a") { $0.dependsOn = [second.id] }
        _ = try await t.service.cancelTask(first.id)
        var last: [TaskID: TaskStatus] = [:]
        while last[third.id] != .cancelled, let next = await subscription.next(), case .task(let task) = next.event {
            last[task.id] = task.status
        }
        #expect(last == [first.id: .cancelled, second.id: .cancelled, third.id: .cancelled])
        #expect(try await t.service.task(third.id).error == "dependency \(second.id) was cancelled")
    }

    @Test func aBatchIsPublishedWithItsTasksAndWhenItsCountsChange() async throws {
        let t = TestService()
        let subscription = t.service.changes.subscribe()
        let batch = try await t.service.createBatch(
            [NewTask(type: "a"), NewTask(type: "a")], callback: NewTask(type: "done"))
        var created: [TaskID] = []
        var firstBatch: BatchRecord?
        while firstBatch == nil, let next = await subscription.next() {
            switch next.event {
            case .task(let task): created.append(task.id)
            case .batch(let record): firstBatch = record
            default: break
            }
        }
        #expect(created == batch.taskIds + [batch.callbackTaskId!])
        #expect(firstBatch?.counts[.pending] == 2)
        _ = try await t.service.cancelBatch(batch.id)
        var counts = firstBatch?.counts ?? TaskStats.Counts()
        while counts[.cancelled] < 2, let next = await subscription.next() {
            if case .batch(let record) = next.event {
                #expect(record.id == batch.id)
                counts = record.counts
            }
        }
        #expect(counts[.cancelled] == 2 && counts[.pending] == 0)
    }
}
