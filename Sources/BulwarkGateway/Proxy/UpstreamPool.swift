import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive connections to one upstream, owned by one event loop: a proxied request borrows a
/// connection that already lives on its own loop, so nothing crosses threads. LIFO, so the
/// warmest connection is reused and surplus ones age out at the upstream.
final class UpstreamPool {
    let target: UpstreamTarget
    let eventLoop: any EventLoop
    private var idle: [UpstreamConnection] = []

    init(target: UpstreamTarget, eventLoop: any EventLoop) {
        self.target = target
        self.eventLoop = eventLoop
    }

    var idleCount: Int { idle.count }

    /// An idle live connection, or nil when a new one must be opened.
    func lease() -> UpstreamConnection? {
        while let connection = idle.popLast() {
            if connection.isUsable {
                return connection
            }
        }
        return nil
    }

    /// Opens a connection on this loop; `completion` runs on this loop.
    func connect(_ completion: @escaping (Result<UpstreamConnection, any Error>) -> Void) {
        let future = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(target.connectTimeout)
            .connect(to: target.address)
        future.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                let connection = UpstreamConnection(pool: self, channel: channel)
                do {
                    try channel.pipeline.syncOperations.addHandler(connection)
                    completion(.success(connection))
                } catch {
                    channel.close(promise: nil)
                    completion(.failure(error))
                }
            case .failure(let error):
                completion(.failure(error))
            }
        }
    }

    /// Returns a connection after a complete exchange; closes it when it cannot be reused or the
    /// pool is full.
    func release(_ connection: UpstreamConnection) {
        guard connection.isUsable, idle.count < target.maxIdlePerLoop else {
            connection.close()
            return
        }
        idle.append(connection)
    }

    /// Forgets a connection that closed while idle.
    func remove(_ connection: UpstreamConnection) {
        idle.removeAll { $0 === connection }
    }

    /// Closes every idle connection (shutdown).
    func closeAll() {
        let connections = idle
        idle.removeAll()
        for connection in connections { connection.close() }
    }
}
