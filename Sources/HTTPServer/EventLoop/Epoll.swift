// Glibc's Swift module map does not include <sys/epoll.h>, <sys/eventfd.h> or (GNU) accept4, and the package has no C shim for
// them, so the few calls the event loop needs are bound here by symbol name. Every parameter and result is a C
// `int` or a pointer, whose passing is identical under the C and Swift calling conventions on x86_64 and arm64.

@_silgen_name("epoll_create1") func epollCreate(_ flags: Int32) -> Int32
@_silgen_name("epoll_ctl") func epollControl(_ epfd: Int32, _ op: Int32, _ fd: Int32, _ event: UnsafeMutableRawPointer?) -> Int32
@_silgen_name("epoll_wait") func epollWait(_ epfd: Int32, _ events: UnsafeMutableRawPointer, _ maxEvents: Int32, _ timeout: Int32) -> Int32
@_silgen_name("accept4") func acceptConnection(_ fd: Int32, _ address: UnsafeMutableRawPointer?, _ length: UnsafeMutablePointer<UInt32>?, _ flags: Int32) -> Int32
@_silgen_name("eventfd") func makeEventFD(_ initial: UInt32, _ flags: Int32) -> Int32

/// Constants and the `struct epoll_event` layout of Linux.
enum Epoll {
    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let exclusive: UInt32 = 1 << 28
    static let add: Int32 = 1
    static let delete: Int32 = 2
    static let modify: Int32 = 3
    static let closeOnExec: Int32 = 0o2000000
    static let eventFDNonBlocking: Int32 = 0o4000
    static let eventFDCloseOnExec: Int32 = 0o2000000

    #if arch(x86_64)
    /// `struct epoll_event` is packed on x86_64: a 32-bit mask then 64 bits of data at offset 4.
    static let eventStride = 12
    static let dataOffset = 4
    #else
    static let eventStride = 16
    static let dataOffset = 8
    #endif

    /// Adds, modifies or deletes `fd` in `epfd`'s interest list, with `fd` itself as the event data.
    @discardableResult
    static func control(_ epfd: Int32, _ op: Int32, _ fd: Int32, events: UInt32) -> Int32 {
        var storage: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &storage) { raw in
            raw.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: UInt64(UInt32(bitPattern: fd)), toByteOffset: dataOffset, as: UInt64.self)
            return epollControl(epfd, op, fd, raw.baseAddress)
        }
    }

    /// The (events, fd) of the `index`th entry of an `epoll_wait` result buffer.
    @inline(__always)
    static func event(in buffer: UnsafeMutableRawPointer, at index: Int) -> (events: UInt32, fd: Int32) {
        let base = buffer + index * eventStride
        let events = base.loadUnaligned(as: UInt32.self)
        let data = (base + dataOffset).loadUnaligned(as: UInt64.self)
        return (events, Int32(truncatingIfNeeded: data))
    }
}
