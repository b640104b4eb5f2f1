#if TSAN_LOCKS
import Glibc

/// A `pthread_mutex_t` standing in for `Synchronization.Mutex` in ThreadSanitizer builds
/// (`swift build --sanitize=thread -Xswiftc -DTSAN_LOCKS`, see `scripts/test-sanitizers.sh`).
///
/// Swift 6.3.1's TSan does not model `Synchronization.Mutex` (a futex), so every access it protects
/// looks like a data race. Declared in this module, this type shadows the imported `Mutex` for the
/// module's own code only when the flag is set; normal builds never see it. The same file is in every
/// module that locks (one copy each, as a module-local type cannot be shared without a dependency).
final class Mutex<Value: ~Copyable>: @unchecked Sendable {
    // `value` is only touched between pthread_mutex_lock and pthread_mutex_unlock of `lock`.
    private var value: Value
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    init(_ initialValue: consuming Value) {
        value = initialValue
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result: ~Copyable, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return try body(&value)
    }
}
#endif
