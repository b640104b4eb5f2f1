import Foundation
import Scheduling
import TaskCore
import Testing

/// The README's embedding example, as an importer writes it: if this stops compiling or working,
/// the README is wrong. It also keeps us honest about names: `Task { }` must still mean Swift's
/// `Task` in a module that imports ours.
@Suite(.timeLimit(.minutes(1))) struct ReadmeExampleTests {
    @Test func theEmbeddingExampleRunsATaskToCompletion() async throws {
        let finished = EventCollector()
        let service = WorkerService(
            store: InMemoryTaskStore(), configuration: .init(concurrency: 4), events: finished.sink)

        service.register("email") { task, context in
            await context.log(.info, "sending to \(task.payload["to"]?.stringValue ?? "?")")
            // ... send the mail ...
            return ["sent": true]
        }

        let created = try await service.createTask(NewTask(type: "email", payload: ["to": "a@b.c"], priority: .high))
        let running = Task { try await service.run() }  // Swift's Task, not one of ours
        await finished.attemptFinished(created.task.id)
        service.shutdown()
        try await running.value

        let done = try await service.task(created.task.id)
        #expect(done.status == .completed)
        #expect(done.result == ["sent": true])
        #expect(try await service.taskLogs(done.id, limit: 10).contains { $0.message == "sending to a@b.c" })
    }
}
