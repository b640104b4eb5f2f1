import Scheduling
import Synchronization
import TaskCore

/// The Server-Sent Events frames of `GET /api/events`.
enum SSEFrames {
    /// `id: 7` / `event: task` / `data: {Task JSON}` and a blank line.
    static func frame(_ published: PublishedEvent) -> [UInt8] {
        var writer = JSONWriter(capacity: 640)
        writer.raw("id: ")
        writer.bytes.append(contentsOf: String(published.id).utf8)
        writer.raw("\nevent: ")
        writer.bytes.append(contentsOf: published.event.kind.rawValue.utf8)
        writer.raw("\ndata: ")
        data(published.event, into: &writer)
        writer.raw("\n\n")
        return writer.bytes
    }

    /// The `data` of an event: the Task, Job, Queue or Batch JSON, or `{"id":"3","deleted":true}`.
    static func data(_ event: ChangeEvent, into writer: inout JSONWriter) {
        switch event {
        case .task(let task): writer.task(task)
        case .job(let job): writer.job(job)
        case .jobDeleted(let id):
            writer.raw("{\"id\":")
            writer.string(id.description)
            writer.raw(",\"deleted\":true}")
        case .queue(let queue): writer.queue(queue)
        case .batch(let batch): writer.batch(batch)
        }
    }

    /// The last frame sent to a subscriber that fell behind, before the stream closes.
    static func overflow(lastDelivered: UInt64) -> [UInt8] {
        var writer = JSONWriter(capacity: 200)
        writer.raw("event: overflow\ndata: {\"message\":\"the subscriber fell behind and was disconnected; reconnect with Last-Event-ID to resume\",\"lastEventId\":")
        writer.string(String(lastDelivered))
        writer.raw("}\n\n")
        return writer.bytes
    }

    static let ping = Array(": ping\n\n".utf8)
    static let opened = Array(": connected\nretry: 2000\n\n".utf8)
    static let replayIncomplete = Array(": some events after Last-Event-ID are no longer available\n\n".utf8)
}

/// Encodes each event once for all subscribers that send it (they handle the same event at about
/// the same time): a small direct-mapped cache by event id.
final class SSEFrameCache: Sendable {
    private let slots = Mutex([(id: UInt64, bytes: [UInt8])?](repeating: nil, count: 256))

    func frame(_ published: PublishedEvent) -> [UInt8] {
        let slot = Int(published.id & 255)
        if let hit = slots.withLock({ $0[slot] }), hit.id == published.id { return hit.bytes }
        let bytes = SSEFrames.frame(published)
        slots.withLock { $0[slot] = (published.id, bytes) }
        return bytes
    }
}

/// Copies a subscription into a response stream until either ends; never blocks the bus.
enum SSEPump {
    /// Runs until the client leaves, the subscription ends or the client falls behind; sends
    /// `: ping` every `ping`, and `event: overflow` before closing a client that fell behind.
    static func run(
        _ subscription: EventSubscription, into sink: any ResponseStreamSink, ping: Duration, cache: SSEFrameCache,
        frame: @escaping @Sendable (PublishedEvent, SSEFrameCache) -> [UInt8] = { $1.frame($0) }
    ) async {
        sink.onClose { subscription.cancel() }
        _ = sink.write(SSEFrames.opened)
        if subscription.replayIncomplete { _ = sink.write(SSEFrames.replayIncomplete) }
        let lastDelivered = Mutex<UInt64>(0)
        let overflowed = await withTaskGroup(of: Void.self) { group -> Bool in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: ping)
                    if Task.isCancelled || sink.write(SSEFrames.ping) == .closed { return }
                }
            }
            defer { group.cancelAll() }
            while let first = await subscription.next() {
                var batch = frame(first, cache)
                var last = first.id
                while batch.count < 65536, let more = subscription.takeBuffered() {
                    batch.append(contentsOf: frame(more, cache))
                    last = more.id
                }
                switch sink.write(batch) {
                case .accepted:
                    lastDelivered.withLock { $0 = last }
                case .full:
                    subscription.cancel()
                    return true
                case .closed:
                    subscription.cancel()
                    return false
                }
            }
            return subscription.endReason == .overflow
        }
        if overflowed {
            sink.finish(with: SSEFrames.overflow(lastDelivered: lastDelivered.withLock { $0 }))
        } else {
            sink.finish()
        }
    }
}
