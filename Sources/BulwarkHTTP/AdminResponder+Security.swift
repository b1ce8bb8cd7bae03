import BulwarkCore
import BulwarkResilience
import HTTPTypes

/// `/admin/blocks`, `/admin/flags` and `/health/security`: what protects the service from its
/// clients, and the operator's way to undo it.
extension AdminResponder {
    func respondSecurity(
        method: HTTPRequest.Method, path: String, segments: [Substring], requestID: String
    ) async -> LocalResponse? {
        if path == "/health/security" {
            guard method == .get || method == .head else { return methodNotAllowed(path: path, allow: "GET, HEAD", requestID: requestID) }
            return healthSecurity()
        }
        guard segments.count >= 2, segments[1] == "blocks" || segments[1] == "flags" else { return nil }
        let isBlocks = segments[1] == "blocks"
        switch (method, segments.count) {
        case (.get, 2):
            return .json(.ok, isBlocks ? blocksJSON() : flagsJSON())
        case (_, 2):
            return methodNotAllowed(path: path, allow: "GET", requestID: requestID)
        case (.delete, 3):
            // Blocks and flags are kept per `ClientKey`: any address of an IPv6 /64 names it. Older
            // entries may be kept under the exact address; `unblock`/`clearFlag` lift both.
            let address = PercentDecoding.decodeLenient(String(segments[2]))
            let client = ClientKey.of(address)
            let present = [client, address].contains { name in
                isBlocks ? security?.blocks.remaining(name) != nil : security?.abuse?.isFlagged(name) ?? false
            }
            guard present else {
                return .problem(
                    BulwarkError(ErrorCatalog.notFound, isBlocks ? "\(client) is not blocked." : "\(client) is not flagged."),
                    requestID: requestID, path: path)
            }
            if let refusal = await recordDurably(
                isBlocks ? "ip.unblock" : "flag.clear", resource: (isBlocks ? "ip:" : "client:") + client, requestID: requestID,
                path: path)
            {
                return refusal
            }
            // Lapsed meanwhile or not, the client is now neither blocked nor flagged.
            _ = isBlocks ? (security?.unblock(address) ?? false) : (security?.clearFlag(address) ?? false)
            var out = "{"
            JSONText.appendMember(isBlocks ? "ip" : "client", client, to: &out, first: true)
            out += isBlocks ? ",\"unblocked\":true}" : ",\"cleared\":true}"
            return .json(.ok, out)
        case (_, 3):
            return methodNotAllowed(path: path, allow: "DELETE", requestID: requestID)
        default:
            return nil
        }
    }

    private func blocksJSON() -> String {
        guard let security else { return "{\"blocks\":[]}" }
        let now = security.blocks.time.now()
        let items = security.blocks.active.map { block -> String in
            var out = "{"
            JSONText.appendMember("ip", block.client, to: &out, first: true)
            JSONText.appendMember("reason", block.reason, to: &out)
            out += ",\"secondsLeft\":\(retryAfterSeconds(nanoseconds: block.until - now))}"
            return out
        }
        return "{\"blocks\":[" + items.joined(separator: ",") + "]}"
    }

    private func flagsJSON() -> String {
        guard let abuse = security?.abuse else { return "{\"flags\":[]}" }
        let now = abuse.time.now()
        let items = abuse.flags.map { flag -> String in
            var out = "{"
            JSONText.appendMember("client", flag.client, to: &out, first: true)
            out += ",\"flaggedSecondsAgo\":\(max(0, now - flag.since) / 1_000_000_000),\"events\":{"
            out += flag.events.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":\($0.value)" }.joined(separator: ",")
            return out + "}}"
        }
        return "{\"flags\":[" + items.joined(separator: ",") + "]}"
    }

    private func healthSecurity() -> LocalResponse {
        let blocked = security?.blocks.active.count ?? 0
        let flagged = security?.abuse?.flags.count ?? 0
        var out = "{"
        JSONText.appendMember("status", blocked + flagged > 0 ? "warn" : "pass", to: &out, first: true)
        out += ",\"blockedIPs\":\(blocked),\"flaggedClients\":\(flagged)"
        // Events from new clients the abuse detector had no room to count (it fails open then).
        out += ",\"abuseUntrackedEvents\":\(security?.abuse?.untrackedEvents ?? 0)"
        out += "," + blocksJSON().dropFirst().dropLast() + "," + flagsJSON().dropFirst().dropLast()
        out += ",\"limiters\":["
        out += (security?.limiters() ?? []).map { summary -> String in
            var item = "{"
            JSONText.appendMember("route", summary.route, to: &item, first: true)
            item += ",\"policies\":[" + summary.policies.map(JSONText.quoted).joined(separator: ",") + "]"
            let stats = summary.statistics
            item += ",\"trackedKeys\":\(stats.trackedKeys),\"maxTrackedKeys\":\(stats.maxTrackedKeys)"
            item += ",\"allowed\":\(stats.allowed),\"denied\":\(stats.denied),\"dryRunWouldDeny\":\(stats.dryRunWouldDeny)"
            item += ",\"overflow\":\(stats.overflow),\"evicted\":\(stats.evicted)}"
            return item
        }.joined(separator: ",")
        out += "]}"
        return .json(.ok, out, contentType: HealthJSON.contentType)
    }
}
