public import Scheduling

/// The in-process backend: `WorkerService` already has exactly the methods ``WorkerBackend`` asks for.
extension WorkerService: WorkerBackend {}
