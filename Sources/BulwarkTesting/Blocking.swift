import Dispatch

/// Runs blocking socket work off Swift's cooperative pool (which has one thread per core here),
/// so a test waiting on a slow peer cannot starve the tasks it is waiting for.
public enum Blocking {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

/// Shorthand for a one-request exchange on a fresh raw connection.
public enum RawHTTP {
    public static func request(port: Int, _ text: String) async throws -> RawHTTPConnection.Response {
        try await Blocking.run {
            let connection = try RawHTTPConnection(port: port)
            connection.send(text)
            return try connection.readResponse()
        }
    }

    public static func get(port: Int, _ path: String, headers: [String] = []) async throws -> RawHTTPConnection.Response {
        let extra = headers.map { $0 + "\r\n" }.joined()
        return try await request(port: port, "GET \(path) HTTP/1.1\r\nHost: test\r\n\(extra)Connection: close\r\n\r\n")
    }
}
