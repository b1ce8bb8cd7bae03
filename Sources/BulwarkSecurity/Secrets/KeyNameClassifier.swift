/// Classifies the name on the left of an assignment (`DB_PASSWORD`, `"apiKey"`, `X-Api-Key`,
/// `aws_secret_access_key`) into what kind of value it is expected to hold.
enum KeyClass: Equatable {
    case none
    case password
    case awsSecret
    case azureKey
    case generic
    /// No credential word in the name: accept only strongly random base64 values.
    case highEntropyOnly
    /// A provider keyword was found; the value must match the provider's token shape.
    case provider(Int)
}

/// A "provider keyword near a token of the right alphabet and length" rule.
struct KeywordRule: Sendable {
    let keyword: StaticString
    let kind: SecretKind
    let alphabet: Alphabet
    let minLength: Int
    let maxLength: Int
}

enum KeyNameClassifier {
    static let negativeWords: [StaticString] = [
        "public", "publishable", "pubkey", "fingerprint", "checksum", "integrity", "digest", "hash",
        "uuid", "version", "algorithm", "length", "size", "path", "file", "dir", "type", "format",
        "prefix", "expir", "timeout", "ttl", "enabled", "policy", "header", "field", "name", "label",
        "mode", "cache", "sortkey", "primarykey", "foreignkey", "partitionkey", "keyboard",
        "monkey", "turkey", "hotkey", "url", "endpoint", "region", "bucket",
        "rotation", "hint", "reset", "forgot", "strength", "validator", "regex",
        "placeholder", "example", "csrf", "xsrf", "nonce", "signature",
    ]

    static let genericWords: [StaticString] = [
        "secret", "token", "apikey", "accesskey", "privatekey", "auth", "credential", "signingkey",
        "masterkey", "encryptionkey", "sessionkey", "appkey", "clientkey", "serverkey", "licensekey",
        "webhookkey", "bearer", "salt", "creds",
    ]

    /// Provider keyword rules: a name containing the keyword whose value has exactly this shape
    /// is reported as that provider's credential even when the value alone is ambiguous.
    static let keywordRules: [KeywordRule] = [
        KeywordRule(keyword: "heroku", kind: SecretKind(rawValue: "heroku_api_key"), alphabet: Alphabet.hex + Alphabet("-"), minLength: 36, maxLength: 36),
        KeywordRule(keyword: "mailgun", kind: SecretKind(rawValue: "mailgun_api_key"), alphabet: Alphabet.hexLower + Alphabet("-"), minLength: 32, maxLength: 50),
        KeywordRule(keyword: "datadog", kind: SecretKind(rawValue: "datadog_api_key"), alphabet: .hexLower, minLength: 32, maxLength: 40),
        KeywordRule(keyword: "ddapikey", kind: SecretKind(rawValue: "datadog_api_key"), alphabet: .hexLower, minLength: 32, maxLength: 32),
        KeywordRule(keyword: "ddappkey", kind: SecretKind(rawValue: "datadog_app_key"), alphabet: .hexLower, minLength: 40, maxLength: 40),
        KeywordRule(keyword: "twilio", kind: SecretKind(rawValue: "twilio_auth_token"), alphabet: .hexLower, minLength: 32, maxLength: 32),
        KeywordRule(keyword: "algolia", kind: SecretKind(rawValue: "algolia_api_key"), alphabet: .hexLower, minLength: 32, maxLength: 32),
        KeywordRule(keyword: "cloudflare", kind: SecretKind(rawValue: "cloudflare_api_token"), alphabet: .base64url, minLength: 37, maxLength: 40),
        KeywordRule(keyword: "telegram", kind: SecretKind(rawValue: "telegram_bot_token"), alphabet: Alphabet.base64url + Alphabet(":"), minLength: 44, maxLength: 48),
        KeywordRule(keyword: "okta", kind: SecretKind(rawValue: "okta_api_token"), alphabet: .base64url, minLength: 42, maxLength: 42),
        KeywordRule(keyword: "pagerduty", kind: SecretKind(rawValue: "pagerduty_api_key"), alphabet: Alphabet.base64url + Alphabet("+"), minLength: 20, maxLength: 20),
        KeywordRule(keyword: "mapbox", kind: SecretKind(rawValue: "mapbox_token"), alphabet: .jwtChars, minLength: 80, maxLength: 300),
        KeywordRule(keyword: "sentry", kind: SecretKind(rawValue: "sentry_token"), alphabet: .hexLower, minLength: 64, maxLength: 64),
        KeywordRule(keyword: "circleci", kind: SecretKind(rawValue: "circleci_token"), alphabet: .hexLower, minLength: 40, maxLength: 40),
        KeywordRule(keyword: "travis", kind: SecretKind(rawValue: "travis_token"), alphabet: .base64url, minLength: 22, maxLength: 22),
        KeywordRule(keyword: "facebook", kind: SecretKind(rawValue: "facebook_secret"), alphabet: .hexLower, minLength: 32, maxLength: 32),
        KeywordRule(keyword: "twitter", kind: SecretKind(rawValue: "twitter_secret"), alphabet: .alnum, minLength: 35, maxLength: 50),
        KeywordRule(keyword: "devops", kind: SecretKind(rawValue: "azure_devops_pat"), alphabet: .lowerDigits, minLength: 52, maxLength: 52),
        KeywordRule(keyword: "discord", kind: SecretKind(rawValue: "discord_bot_token"), alphabet: Alphabet.base64url + Alphabet("."), minLength: 59, maxLength: 72),
        KeywordRule(keyword: "twitch", kind: SecretKind(rawValue: "twitch_token"), alphabet: .lowerDigits, minLength: 30, maxLength: 30),
        KeywordRule(keyword: "mailchimp", kind: SecretKind(rawValue: "mailchimp_api_key"), alphabet: Alphabet.hexLower + Alphabet("-us0123456789"), minLength: 35, maxLength: 36),
        KeywordRule(keyword: "snyk", kind: SecretKind(rawValue: "snyk_token"), alphabet: Alphabet.hexLower + Alphabet("-"), minLength: 36, maxLength: 36),
        KeywordRule(keyword: "splunk", kind: SecretKind(rawValue: "splunk_hec_token"), alphabet: Alphabet.hex + Alphabet("-"), minLength: 36, maxLength: 36),
        KeywordRule(keyword: "postmark", kind: SecretKind(rawValue: "postmark_token"), alphabet: Alphabet.hexLower + Alphabet("-"), minLength: 36, maxLength: 36),
        KeywordRule(keyword: "fastly", kind: SecretKind(rawValue: "fastly_api_token"), alphabet: .base64url, minLength: 32, maxLength: 32),
        KeywordRule(keyword: "netlify", kind: SecretKind(rawValue: "netlify_token"), alphabet: .base64url, minLength: 40, maxLength: 46),
        KeywordRule(keyword: "vercel", kind: SecretKind(rawValue: "vercel_token"), alphabet: .alnum, minLength: 24, maxLength: 24),
        KeywordRule(keyword: "zendesk", kind: SecretKind(rawValue: "zendesk_token"), alphabet: .alnum, minLength: 40, maxLength: 40),
        KeywordRule(keyword: "intercom", kind: SecretKind(rawValue: "intercom_token"), alphabet: Alphabet.base64url + Alphabet("="), minLength: 59, maxLength: 60),
        KeywordRule(keyword: "cohere", kind: SecretKind(rawValue: "cohere_api_key"), alphabet: .alnum, minLength: 40, maxLength: 40),
        KeywordRule(keyword: "mistral", kind: SecretKind(rawValue: "mistral_api_key"), alphabet: .alnum, minLength: 32, maxLength: 32),
        KeywordRule(keyword: "trello", kind: SecretKind(rawValue: "trello_token"), alphabet: .hexLower, minLength: 32, maxLength: 64),
        KeywordRule(keyword: "mailjet", kind: SecretKind(rawValue: "mailjet_key"), alphabet: .hexLower, minLength: 32, maxLength: 32),
        KeywordRule(keyword: "sparkpost", kind: SecretKind(rawValue: "sparkpost_api_key"), alphabet: .hexLower, minLength: 40, maxLength: 40),
        KeywordRule(keyword: "rapidapi", kind: SecretKind(rawValue: "rapidapi_key"), alphabet: .base64url, minLength: 50, maxLength: 50),
        KeywordRule(keyword: "azure", kind: .azureStorageKey, alphabet: .base64Padded, minLength: 86, maxLength: 88),
    ]

    /// Normalizes `key` (lowercase alphanumerics only, last 64) into `buf`; returns the length.
    static func normalize(_ v: ByteView, _ start: Int, _ end: Int, into buf: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = 0
        var i = max(start, end - 96)
        while i < end && n < buf.count {
            let b = v[i]
            if ByteClass.isAlnum(b) { buf[n] = ByteClass.lower(b); n += 1 }
            i += 1
        }
        return n
    }

    @inline(__always) static func contains(_ k: UnsafeMutableBufferPointer<UInt8>, _ n: Int, _ w: StaticString) -> Bool {
        let wn = w.utf8CodeUnitCount
        guard wn <= n else { return false }
        let ws = w.utf8Start
        var i = 0
        while i + wn <= n {
            if k[i] == ws[0] {
                var ok = true
                for j in 1..<wn where k[i + j] != ws[j] { ok = false; break }
                if ok { return true }
            }
            i += 1
        }
        return false
    }

    @inline(__always) static func hasSuffix(_ k: UnsafeMutableBufferPointer<UInt8>, _ n: Int, _ w: StaticString) -> Bool {
        let wn = w.utf8CodeUnitCount
        guard wn <= n else { return false }
        let ws = w.utf8Start
        for j in 0..<wn where k[n - wn + j] != ws[j] { return false }
        return true
    }

    /// One pass looking for any credential word stem; almost every `:`/`=` in ordinary text
    /// (timestamps, URLs, YAML structure) fails here before the full word lists are consulted.
    @inline(__always) static func hasAnchor(_ k: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> Bool {
        if n >= 2 && k[n - 2] == UInt8(ascii: "p") && k[n - 1] == UInt8(ascii: "w") { return true }
        if n >= 3 && k[n - 3] == UInt8(ascii: "p") && k[n - 2] == UInt8(ascii: "a") && k[n - 1] == UInt8(ascii: "t") { return true }
        var j = 0
        while j + 3 <= n {
            let a = k[j], b = k[j + 1], c = k[j + 2]
            switch a {
            case UInt8(ascii: "p"): if (b == UInt8(ascii: "a") && c == UInt8(ascii: "s")) || (b == UInt8(ascii: "w") && c == UInt8(ascii: "d")) { return true }
            case UInt8(ascii: "s"): if (b == UInt8(ascii: "e") && c == UInt8(ascii: "c")) || (b == UInt8(ascii: "i") && c == UInt8(ascii: "g")) || (b == UInt8(ascii: "a") && c == UInt8(ascii: "l")) { return true }
            case UInt8(ascii: "t"): if b == UInt8(ascii: "o") && c == UInt8(ascii: "k") { return true }
            case UInt8(ascii: "k"): if b == UInt8(ascii: "e") && c == UInt8(ascii: "y") { return true }
            case UInt8(ascii: "a"): if b == UInt8(ascii: "u") && c == UInt8(ascii: "t") { return true }
            case UInt8(ascii: "c"): if b == UInt8(ascii: "r") && c == UInt8(ascii: "e") { return true }
            case UInt8(ascii: "b"): if b == UInt8(ascii: "e") && c == UInt8(ascii: "a") { return true }
            default: break
            }
            j += 1
        }
        return false
    }

    /// Classifies a normalized key.
    static func classify(_ k: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> KeyClass {
        guard n >= 2 else { return .none }
        guard hasAnchor(k, n) else { return anyKey(k, n) }
        if contains(k, n, "password") || contains(k, n, "passwd") || contains(k, n, "passphrase")
            || contains(k, n, "pwd") || hasSuffix(k, n, "pass") || hasSuffix(k, n, "pw") {
            for w in negativeWords where contains(k, n, w) { return .none }
            return .password
        }
        for w in negativeWords where contains(k, n, w) { return .none }
        if hasSuffix(k, n, "id") && !contains(k, n, "secret") { return .none }
        if contains(k, n, "cert") || contains(k, n, "bundle") { return .none }
        for (idx, r) in keywordRules.enumerated() where contains(k, n, r.keyword) {
            if r.kind == .azureStorageKey && !contains(k, n, "key") { continue }
            return .provider(idx)
        }
        if contains(k, n, "secretaccesskey") || contains(k, n, "secretkey")
            || (contains(k, n, "aws") && contains(k, n, "secret")) {
            return .awsSecret
        }
        if contains(k, n, "accountkey") || contains(k, n, "storagekey") { return .azureKey }
        for w in genericWords where contains(k, n, w) { return .generic }
        if hasSuffix(k, n, "key") || hasSuffix(k, n, "keys") || hasSuffix(k, n, "pat") { return .generic }
        return anyKey(k, n)
    }

    /// Names with no credential word: only a very high-entropy base64 value will be reported
    /// (detect-secrets style), and never for names that describe public or derived data.
    static let anyKeyNegativeWords: [StaticString] = [
        "cert", "bundle", "ca", "crt", "hash", "digest", "integrity", "checksum", "sum", "sha", "md5",
        "etag", "nonce", "csrf", "xsrf", "cursor", "state", "signature", "sig", "iv", "salt", "image",
        "img", "data", "icon", "logo", "font", "public", "pub", "fingerprint", "version", "build",
        "commit", "ref", "trace", "span", "request", "session", "uuid", "guid", "url", "uri", "path",
    ]

    /// Cheap part of the neutral-name check; the word list is consulted later, only when the
    /// value is long enough to matter (`anyKeyAllowed`).
    static func anyKey(_ k: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> KeyClass {
        if ByteClass.isDigit(k[0]) || (hasSuffix(k, n, "id")) { return .none }
        return .highEntropyOnly
    }

    static func anyKeyAllowed(_ k: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> Bool {
        for w in anyKeyNegativeWords where contains(k, n, w) { return false }
        return true
    }
}
