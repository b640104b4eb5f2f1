import TaskCore
import WorkerAPI

/// The backend the gateway tests run against.
enum GatewayTestBackend {
    /// A fresh, empty in-memory backend.
    static func make() -> any WorkerBackend & GatewayTestSeeding {
        GatewayFakeBackend()
    }
}

/// What tests need beyond ``WorkerBackend``: putting a task into a status directly.
protocol GatewayTestSeeding: WorkerBackend {
    func force(_ id: TaskID, status: TaskStatus, error: String?) async
}

extension GatewayFakeBackend: GatewayTestSeeding {}
