import BulwarkHTTP
import BulwarkResilience
import BulwarkStore
import BulwarkTelemetry
import Logging
import Metrics
import Synchronization

/// DDoS blocking and abuse detection for the whole gateway, shared by every event loop. Bulwark's
/// own routes never reach it: health and metrics stay reachable, and an operator with the admin
/// key can always unblock.
final class GatewayProtection: Sendable {
    /// Counts every request per IP; crossing the rate blocks the IP.
    let flood: KeyedRateLimiter<ContinuousClock>?
    let blockDuration: Duration
    let blocks: BlockList
    let abuse: AbuseDetector?
    /// The stricter per-IP limit applied to flagged clients, if configured.
    let flaggedLimiter: KeyedRateLimiter<ContinuousClock>?
    let logger: Logger
    /// Blocks and flags are recorded in the audit trail.
    let audit: AuditRecorder?
    /// Where blocks and flags are kept across restarts (the state store).
    let store: (any ProtectionStore)?
    /// What this gateway knows of the store's rows (see `sync()`).
    let synced = Mutex(SyncedState())
    /// Block and flag writes, landed in order; nil without a store.
    let writes: ProtectionWrites?
    private let blocksTotal: Counter
    let blockedGauge: Gauge
    private let flagsTotal: Counter

    init(
        config: ProtectionConfig, logger: Logger, metrics: any MetricsFactory, audit: AuditRecorder? = nil,
        store: (any ProtectionStore)? = nil
    ) throws {
        self.audit = audit
        self.store = store
        self.writes = store.map { ProtectionWrites(store: $0, logger: logger) }
        if let ddos = config.ddos {
            let policy = try RateLimitPolicy("ddos", rate: RateLimitRate(count: ddos.count, perSeconds: ddos.perSeconds))
            flood = try KeyedRateLimiter(policy: policy, clock: ContinuousClock())
            blockDuration = ddos.block
        } else {
            flood = nil
            blockDuration = .zero
        }
        abuse = config.abuse.map { AbuseDetector(threshold: $0.events, window: $0.window) }
        if let abuseConfig = config.abuse, let count = abuseConfig.flaggedCount {
            let rate = RateLimitRate(count: count, perSeconds: abuseConfig.flaggedPerSeconds)
            flaggedLimiter = try KeyedRateLimiter(policy: RateLimitPolicy("flagged", rate: rate), clock: ContinuousClock())
        } else {
            flaggedLimiter = nil
        }
        blocks = BlockList()
        self.logger = logger
        blocksTotal = Counter(label: "bulwark_ip_blocks_total", factory: metrics)
        blockedGauge = Gauge(label: "bulwark_blocked_ips", factory: metrics)
        flagsTotal = Counter(label: "bulwark_abuse_flags_total", factory: metrics)
    }

    /// Whether any request-path check is configured at all (the data path skips us otherwise).
    var isActive: Bool { flood != nil || abuse != nil }

    /// Nanoseconds left on the IP's block, counting this request against the flood limit first;
    /// nil when the request may go on.
    func admit(clientIP: String) -> Int64? {
        if let remaining = blocks.remaining(clientIP) { return remaining }
        guard let flood, !flood.decide("ip:" + clientIP).isAllowed else { return nil }
        let reason = "more than \(flood.policies[0].rate) from one IP"
        blocks.block(clientIP, for: blockDuration, reason: reason)
        blocksTotal.increment()
        blockedGauge.record(blocks.active.count)
        logger.warning("ip blocked", metadata: [
            "event": "ip_blocked", "client_ip": .string(clientIP),
            "block_s": .stringConvertible(blockDuration.components.seconds),
        ])
        let now = UnixTime.nanoseconds()
        let saved = PersistedBlock(
            client: clientIP, reason: reason, sinceUnixNanos: now, untilUnixNanos: now &+ blockDuration.nanosecondsClamped)
        write(.block, clientIP, removing: false) { store in try await store.saveBlock(saved) }
        audit?.record(AuditEvent(
            actor: "gateway", action: "ip.block", resource: "ip:\(clientIP)", outcome: .success,
            details: ["seconds": "\(blockDuration.components.seconds)", "reason": "rate over \(flood.policies[0].rate)"]))
        record(.blocked, client: clientIP)
        return blockDuration.nanosecondsClamped
    }

    /// For a flagged client, the stricter limit's refusal (nil when the request may go on).
    func flaggedRefusal(clientIP: String) -> RateLimitDecision? {
        guard let flaggedLimiter, let abuse, abuse.isFlagged(clientIP) else { return nil }
        let decision = flaggedLimiter.decide("ip:" + clientIP)
        return decision.isAllowed ? nil : decision
    }

    /// Counts a security event for a client; logs when it becomes flagged.
    func record(_ event: AbuseDetector.Event, client: String) {
        guard let abuse, abuse.record(event, client: client) else { return }
        flagsTotal.increment()
        if let flag = abuse.flags.first(where: { $0.client == client }) {
            let saved = PersistedFlag(client: client, sinceUnixNanos: UnixTime.nanoseconds(), events: flag.events)
            write(.flag, client, removing: false) { store in try await store.saveFlag(saved) }
        }
        audit?.record(AuditEvent(
            actor: "gateway", action: "client.flag", resource: "client:\(client)", outcome: .success,
            details: ["threshold": "\(abuse.threshold)"]))
        logger.warning("client flagged for abuse", metadata: [
            "event": "abuse_flagged", "client": .string(client), "threshold": .stringConvertible(abuse.threshold),
        ])
    }

    /// Admin unblock: lifts the block and forgets the IP's counts, so it starts from zero. Any
    /// address of a blocked IPv6 network names it (blocks are kept per `ClientKey`); a block kept
    /// under the exact address (made before IPv6 clients were counted per /64) is lifted too.
    func unblock(_ address: String) -> Bool {
        var was = false
        for clientIP in Set([ClientKey.of(address), address]) {
            // Marked first, so a sync running now does not take the stored block back on.
            write(.block, clientIP, removing: true) { store in try await store.removeBlock(client: clientIP) }
            was = blocks.unblock(clientIP) || was
            flood?.reset("ip:" + clientIP)
        }
        blockedGauge.record(blocks.active.count)
        return was
    }

    /// What admin routes and `/health/security` show.
    func securityState(routeLimiters: [(String, RouteLimiter)]) -> SecurityState {
        SecurityState(
            blocks: blocks, abuse: abuse,
            unblock: { [self] client in unblock(client) },
            clearFlag: { [self] client in clearFlag(client) },
            limiters: { [flood] in
                var summaries = routeLimiters.map { route, limiter in
                    SecurityState.LimiterSummary(
                        route: route, policies: limiter.policies.map(RateLimitHeaders.policy), statistics: limiter.limiter.statistics())
                }
                if let flood {
                    summaries.append(SecurityState.LimiterSummary(
                        route: "*", policies: flood.policies.map { "ddos " + RateLimitHeaders.policy($0) }, statistics: flood.statistics()))
                }
                return summaries
            })
    }

    /// Admin clear: forgets the flag and the client's counts, here and in the store (under the
    /// client's key and, for flags kept before IPv6 clients were counted per /64, its address).
    func clearFlag(_ address: String) -> Bool {
        var was = false
        for client in Set([ClientKey.of(address), address]) {
            write(.flag, client, removing: true) { store in try await store.removeFlag(client: client) }
            was = (abuse?.clear(client) ?? false) || was
        }
        return was
    }

}
