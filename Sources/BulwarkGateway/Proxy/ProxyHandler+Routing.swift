import BulwarkCore
import BulwarkHTTP
import NIOHTTP1

/// Choosing a request's route by its path as upstreams read it (decoded, parameters dropped,
/// slashes merged, dots resolved: `RoutingPath`), so `/public/../admin` cannot slip past an
/// `/admin/**` route's policies. The request itself is forwarded unchanged.
extension ProxyHandler {
    /// The route for `path`, or nil when the request was answered here: 404 for no route, 400
    /// for a path read differently by different servers.
    func chooseRoute(path: Substring, head: HTTPRequestHead, exchange: Exchange) -> RouteEntry? {
        let route: RouteEntry?
        switch RoutingPath.verdict(for: path) {
        case .unchanged:
            route = runtime.route(forPath: path)
        case .normalized(let normal):
            route = runtime.route(forPath: normal[...])
            // Upstreams differ in what they decode and resolve (Express does not resolve `..`,
            // servlet containers drop `;` parameters): when the raw and the normal spelling
            // would choose different routes, no reading is safe to assume.
            guard runtime.route(forPath: path) === route else {
                respondProblem(
                    BulwarkError(
                        ErrorCatalog.badRequest, "The request path names a different route once decoded and resolved; send it in plain form."),
                    exchange: exchange)
                return nil
            }
        case .ambiguous(let reason):
            // Screened first under the route its raw spelling matches, so an attack (`..%2f..%2f`)
            // is counted and answered as one; whatever passes is refused as ambiguous.
            if let route = runtime.route(forPath: path), let screening = route.screening {
                exchange.routeLabel = route.pattern.pattern
                if !passesScreening(screening, head: head, exchange: exchange) { return nil }
            }
            respondProblem(BulwarkError(ErrorCatalog.badRequest, reason), exchange: exchange)
            return nil
        }
        guard let route else {
            respondProblem(BulwarkError(ErrorCatalog.notFound, "No route matches \(exchange.path)."), exchange: exchange)
            return nil
        }
        return route
    }
}
