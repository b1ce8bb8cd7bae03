/// Extra structural validation applied after a prefix rule matched its alphabet and length.
enum TokenCheck: Sendable {
    case none
    /// GitHub classic tokens: last 6 chars are base62(CRC32(first 30)); rejected when wrong.
    case githubChecksum
    /// npm tokens: same checksum scheme, but only recorded (`checksumVerified`), never required,
    /// because legacy/test tokens in the wild do not all carry it.
    case npmChecksum
    case jwt
    case sendgrid
    case githubPAT
    case slackToken
    case slackWebhook
    case openAILegacy
    case airtablePAT
    case firebaseFCM
    case containsDigit
}

/// "Distinctive prefix + token of the right alphabet and length" — the shape shared by most
/// modern provider credentials (GitHub, Slack, Stripe, PyPI, Hugging Face, DigitalOcean...).
struct TokenRule: Sendable {
    let kind: SecretKind
    let prefix: [UInt8]
    let alphabet: Alphabet
    let minBody: Int
    let maxBody: Int
    let check: TokenCheck

    init(_ kind: SecretKind, _ prefix: String, _ alphabet: Alphabet, _ minBody: Int, _ maxBody: Int, _ check: TokenCheck = .none) {
        self.kind = kind
        self.prefix = Array(prefix.utf8)
        self.alphabet = alphabet
        self.minBody = minBody
        self.maxBody = maxBody
        self.check = check
    }
}

/// Applies prefix rules at a word start.
enum TokenRuleMatcher {
    /// Rule indices grouped by first prefix byte (longest prefix first), flattened:
    /// rules for byte `b` are `order[offsets[b]..<offsets[b + 1]]`.
    static let order: [Int] = {
        let all = ProviderRules.all
        return all.indices.sorted {
            let a = all[$0].prefix, b = all[$1].prefix
            return a[0] != b[0] ? a[0] < b[0] : a.count > b.count
        }
    }()

    static let offsets: [Int] = {
        var counts = [Int](repeating: 0, count: 257)
        for r in ProviderRules.all { counts[Int(r.prefix[0]) + 1] += 1 }
        for i in 1..<257 { counts[i] += counts[i - 1] }
        return counts
    }()

    /// First (up to) four prefix bytes of each rule, little-endian, and the matching mask: a
    /// single 32-bit compare rejects almost every non-matching rule.
    static let heads: [(UInt32, UInt32)] = ProviderRules.all.map { r in
        var head: UInt32 = 0, mask: UInt32 = 0
        for (k, b) in r.prefix.prefix(4).enumerated() {
            head |= UInt32(b) << (8 * UInt32(k))
            mask |= 0xFF << (8 * UInt32(k))
        }
        return (head, mask)
    }

    /// Whether any rule starts with byte `b` (fast trigger test).
    static let isTrigger: [Bool] = (0..<256).map { offsets[$0 + 1] > offsets[$0] }

    /// Tries every rule whose prefix starts at `i`; returns the first validated match.
    static func match(_ v: ByteView, at i: Int) -> RawMatch? {
        var text: UInt32 = 0
        for k in 0..<4 { text |= UInt32(v.at(i + k)) << (8 * UInt32(k)) }
        let b = Int(v[i])
        for slot in offsets[b]..<offsets[b + 1] {
            let idx = order[slot]
            let (head, mask) = heads[idx]
            if text & mask != head { continue }
            let rule = ProviderRules.all[idx]
            guard v.matches(rule.prefix, at: i) else { continue }
            let bodyStart = i + rule.prefix.count
            var j = bodyStart
            let hardEnd = min(v.count, bodyStart + rule.maxBody + 1)
            if case .jwt = rule.check {
                // A JWS has exactly two dots: stop at a third so `eyJ.eyJ.eyJ...` stays linear.
                var dots = 0
                while j < hardEnd && rule.alphabet.contains(v[j]) {
                    if v[j] == UInt8(ascii: ".") { dots += 1; if dots == 3 { break } }
                    j += 1
                }
            } else {
                while j < hardEnd && rule.alphabet.contains(v[j]) { j += 1 }
            }
            var bodyLen = j - bodyStart
            // Trailing dots/dashes/equals are usually punctuation, not token (unless required).
            while bodyLen > rule.minBody && (v[bodyStart + bodyLen - 1] == UInt8(ascii: ".")) { bodyLen -= 1 }
            let end = bodyStart + bodyLen
            guard bodyLen >= rule.minBody, bodyLen <= rule.maxBody else { continue }
            if ByteClass.isAlnum(v.at(end)) { continue }
            let c = ValueHeuristics.classes(v, bodyStart, end)
            if ValueHeuristics.isFiller(c, bodyLen) { continue }
            var verified = false
            switch rule.check {
            case .none: break
            case .githubChecksum:
                guard TokenChecksum.verifiesGitHubStyle(body: UnsafeBufferPointer(rebasing: v.p[bodyStart..<end])) else { continue }
                verified = true
            case .npmChecksum:
                verified = TokenChecksum.verifiesGitHubStyle(body: UnsafeBufferPointer(rebasing: v.p[bodyStart..<end]))
            case .jwt:
                guard JWTValidator.isJWT(v, i, end) else { continue }
            case .sendgrid:
                guard bodyLen == 66, v[bodyStart + 22] == UInt8(ascii: "."),
                      ValueHeuristics.allIn(v, bodyStart, bodyStart + 22, .base64url),
                      ValueHeuristics.allIn(v, bodyStart + 23, end, .base64url) else { continue }
            case .githubPAT:
                guard c.other >= 1 else { continue }
            case .slackToken:
                guard c.digit >= 4, c.other >= 1 else { continue }
            case .slackWebhook:
                guard v.matches("services/", at: bodyStart) || v.matches("workflows/", at: bodyStart)
                        || v.matches("triggers/", at: bodyStart) else { continue }
                guard c.digit >= 2, c.upper >= 2 else { continue }
            case .openAILegacy:
                guard c.upper >= 2, c.lower >= 2, c.digit >= 1, c.distinct >= 14 else { continue }
            case .airtablePAT:
                guard bodyLen == 79, v[bodyStart + 14] == UInt8(ascii: "."),
                      ValueHeuristics.allIn(v, bodyStart + 15, end, .hexLower) else { continue }
            case .firebaseFCM:
                guard v[bodyStart + 7] == UInt8(ascii: ":") else { continue }
            case .containsDigit:
                guard c.digit >= 1 else { continue }
            }
            return RawMatch(start: i, end: end, kind: rule.kind, priority: 3,
                            publicPrefix: rule.prefix.count, verified: verified)
        }
        return nil
    }
}

/// A candidate finding in byte offsets, before overlap resolution.
struct RawMatch: Sendable {
    var start: Int
    var end: Int
    var kind: SecretKind
    /// Higher wins on overlap: 4 PEM, 3 provider format, 2 URL credential / keyword rule,
    /// 1 generic assignment / bearer.
    var priority: UInt8
    /// Number of leading bytes that are a public, well-known prefix (shown in previews).
    var publicPrefix: Int
    var verified: Bool
}
