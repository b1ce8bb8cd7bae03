import BulwarkCore
import BulwarkHTTP
import HTTPTypes
import Hummingbird
import Logging

extension Router {
    /// Mounts Bulwark's control routes (`/health/live`, `/health/ready`, `/health/check`,
    /// `/health/summary`, `/metrics`, and the `/admin/` routes when the responder has them) on a
    /// Hummingbird router; the answers come from the same ``ControlResponder`` the gateway uses.
    /// `forwarded` names the client in audit events of admin requests, as the middleware does for
    /// the access log (pass the same policy).
    @discardableResult
    public func addBulwarkRoutes(_ responder: ControlResponder, forwarded: ForwardedHeadersPolicy = ForwardedHeadersPolicy()) -> Self {
        var paths = ControlResponder.paths.sorted()
        if responder.admin != nil { paths += ["/admin/breakers", "/admin/breakers/:name/reset"] }
        for path in paths {
            let handler: @Sendable (Request, Context) async throws -> Response = { request, context in
                // The id BulwarkMiddleware resolved (kept or generated), so a problem body names the
                // same id as the response's X-Request-ID header.
                let requestID = context.logger[metadataKey: "request_id"]?.description ?? request.headers[.xRequestID] ?? ""
                let concretePath = Substring(request.uri.path)
                guard
                    let local = await responder.respond(
                        method: request.method, path: concretePath, requestID: requestID,
                        authorization: request.headers[.authorization],
                        client: forwarded.clientAddress(
                            incomingForwardedFor: request.headers[.xForwardedFor], peer: context.remoteAddressText))
                else {
                    throw HTTPError(.notFound)
                }
                return BulwarkMiddleware<Context>.response(local)
            }
            // Every common method reaches the responder, so a wrong one gets the same 405 with
            // `Allow` as through the gateway instead of the router's 404.
            for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch, .options] {
                on(RouterPath(path), method: method, use: handler)
            }
        }
        return self
    }
}
