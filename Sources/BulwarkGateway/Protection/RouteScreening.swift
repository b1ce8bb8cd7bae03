import BulwarkHTTP
import BulwarkSecurity
import Metrics

/// A route's injection screening on the data path: the framework-neutral policy plus hit counters
/// by class, created once so a hit only increments.
final class RouteScreening: Sendable {
    let policy: RequestScreening
    let body: BodyScreening
    /// Bodies up to this many bytes are screened; 0 = none.
    let bodyLimit: Int
    /// Whether a body over `bodyLimit` is refused (413) rather than forwarded uninspected.
    let rejectsOversizedBody: Bool
    private let hits: [String: Counter]
    /// Bodies forwarded without inspection because they were over the limit.
    let uninspected: Counter

    init(
        route: String, classes: [String], action: String, headers: [String], bodyLimit: Int = 0,
        rejectsOversizedBody: Bool = true, metrics: any MetricsFactory
    ) {
        let enabled = Set(classes.compactMap(InjectionClass.init(rawValue:)))
        let action = RequestScreening.Action(rawValue: action) ?? .block
        policy = RequestScreening(classes: enabled, action: action, headers: headers)
        body = BodyScreening(policy)
        self.bodyLimit = bodyLimit
        self.rejectsOversizedBody = rejectsOversizedBody
        uninspected = Counter(label: "bulwark_screen_uninspected_bodies_total", dimensions: [("route", route)], factory: metrics)
        var hits: [String: Counter] = [:]
        for label in InjectionClass.allCases.map(\.rawValue) + ["limit"] {
            hits[label] = Counter(
                label: "bulwark_screen_hits_total",
                dimensions: [("route", route), ("class", label), ("action", action.rawValue)], factory: metrics)
        }
        self.hits = hits
    }

    func count(_ hit: RequestScreening.Hit) {
        hits[hit.injectionClass?.rawValue ?? "limit"]?.increment()
    }
}
