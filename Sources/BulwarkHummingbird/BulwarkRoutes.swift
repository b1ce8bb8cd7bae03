import BulwarkCore
import BulwarkHTTP
import HTTPTypes
import Hummingbird

extension Router {
    /// Mounts Bulwark's control routes (`/health/live`, `/health/ready`, `/health/check`,
    /// `/health/summary`, `/metrics`) on a Hummingbird router; the answers come from the same
    /// ``ControlResponder`` the gateway uses.
    @discardableResult
    public func addBulwarkRoutes(_ responder: ControlResponder) -> Self {
        for path in ControlResponder.paths.sorted() {
            let handler: @Sendable (Request, Context) async throws -> Response = { request, _ in
                let requestID = request.headers[.xRequestID] ?? ""
                guard let local = await responder.respond(method: request.method, path: Substring(path), requestID: requestID) else {
                    throw HTTPError(.notFound)
                }
                return BulwarkMiddleware<Context>.response(local)
            }
            get(RouterPath(path), use: handler)
            head(RouterPath(path), use: handler)
        }
        return self
    }
}
