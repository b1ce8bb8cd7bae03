import BulwarkHTTP
import BulwarkSecurity
import Metrics

/// A route's injection screening on the data path: the framework-neutral policy plus hit counters
/// by class, created once so a hit only increments.
final class RouteScreening: Sendable {
    let policy: RequestScreening
    private let hits: [String: Counter]

    init(route: String, classes: [String], action: String, headers: [String], metrics: any MetricsFactory) {
        let enabled = Set(classes.compactMap(InjectionClass.init(rawValue:)))
        let action = RequestScreening.Action(rawValue: action) ?? .block
        policy = RequestScreening(classes: enabled, action: action, headers: headers)
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
