import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import Synchronization

/// The listening socket and its per-loop state. Starting binds; draining stops accepting, lets
/// in-flight exchanges finish (NIO's quiescing closes each connection after its current response)
/// and force-closes whatever is left when the drain timeout expires.
final class GatewayServer: Sendable {
    private let group: any EventLoopGroup
    private let runtime: ProxyRuntime
    private let quiesce: ServerQuiescingHelper
    private let loops: [ObjectIdentifier: NIOLoopBound<LoopContext>]
    private let channel: any Channel

    private init(
        group: any EventLoopGroup, runtime: ProxyRuntime, quiesce: ServerQuiescingHelper,
        loops: [ObjectIdentifier: NIOLoopBound<LoopContext>], channel: any Channel
    ) {
        self.group = group
        self.runtime = runtime
        self.quiesce = quiesce
        self.loops = loops
        self.channel = channel
    }

    /// The bound address (port 0 in config means "pick one", used by tests).
    var localAddress: SocketAddress? { channel.localAddress }

    static func start(host: String, port: Int, group: any EventLoopGroup, runtime: ProxyRuntime) async throws -> GatewayServer {
        var loops: [ObjectIdentifier: NIOLoopBound<LoopContext>] = [:]
        for loop in group.makeIterator() {
            let bound = try await loop.submit { NIOLoopBound(LoopContext(runtime: runtime, eventLoop: loop), eventLoop: loop) }.get()
            loops[ObjectIdentifier(loop)] = bound
        }
        let contexts = loops
        let quiesce = ServerQuiescingHelper(group: group)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let context = contexts[ObjectIdentifier(channel.eventLoop)]?.value else {
                        throw ChannelError.ioOnClosedChannel
                    }
                    let runtime = context.runtime
                    let open = runtime.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
                    channel.closeFuture.whenComplete { _ in
                        runtime.openConnections.wrappingSubtract(1, ordering: .relaxed)
                    }
                    guard open <= runtime.maxConnections else {
                        channel.close(promise: nil)
                        return
                    }
                    let sync = channel.pipeline.syncOperations
                    // One handler: ProxyHandler reads requests from the bytes (ClientRequestParser),
                    // serializes responses itself (ResponseWriting; every header it writes was
                    // validated when parsed or is one of our own values) and handles pipelining with
                    // its own `pipelined` queue.
                    try sync.addHandler(ProxyHandler(loop: context))
                }
            }
            .bind(host: host, port: port)
            .get()
        return GatewayServer(group: group, runtime: runtime, quiesce: quiesce, loops: loops, channel: channel)
    }

    /// Stops accepting and waits for open connections to finish their current exchange, at most
    /// `timeout`; returns true when everything finished in time. Connections still open after
    /// that are closed when the event loop group shuts down.
    func drain<C: Clock>(timeout: Duration, clock: C) async -> Bool where C.Duration == Duration {
        let promise = group.next().makePromise(of: Void.self)
        quiesce.initiateShutdown(promise: promise)
        let quiesced = promise.futureResult
        let finished = await withTaskGroup(of: Bool.self) { tasks in
            tasks.addTask { (try? await quiesced.get()) != nil }
            tasks.addTask {
                try? await clock.sleep(for: timeout)
                return false
            }
            let first = await tasks.next() ?? false
            tasks.cancelAll()
            return first
        }
        await closeIdleUpstreams()
        return finished
    }

    private func closeIdleUpstreams() async {
        for (_, bound) in loops {
            try? await bound.eventLoop.submit { bound.value.shutdown() }.get()
        }
    }
}
