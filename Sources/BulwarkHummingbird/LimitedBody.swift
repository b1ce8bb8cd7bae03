import BulwarkCore
import BulwarkHTTP
import Hummingbird

/// A request body that throws `BODY_TOO_LARGE` at the chunk that crosses the limit, so chunked
/// uploads are capped without buffering them first.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let base: RequestBody
    let policy: BodyLimitPolicy

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let policy: BodyLimitPolicy
        var total = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            total += buffer.readableBytes
            if let error = policy.check(streamedSoFar: total) { throw error }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), policy: policy)
    }
}
