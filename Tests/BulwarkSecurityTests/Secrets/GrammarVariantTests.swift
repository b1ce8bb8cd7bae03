import BulwarkTesting
import Testing
@testable import BulwarkSecurity

/// Assignment shapes seen across languages and config formats (public scanners test the same
/// grammar): every variant must yield exactly the value.
@Suite struct GrammarVariantTests {
    let scanner = SecretScanner()

    @Test func assignmentShapesAcrossLanguages() {
        var rng = SplitMix64(seed: 31)
        let secret = Gen.random(30, Gen.alnum, &rng) + "7"
        let shapes = [
            "serviceToken=\"\(secret)\"", "serviceToken = \"\(secret)\"", "serviceToken=\(secret)",
            "serviceToken = \(secret)", "{\n    \"service_token\": \"\(secret)\"\n}",
            "\\{\n    \\\"service_token\\\": \\\"\(secret)\\\"\n\\}",
            "<serviceToken>\(secret)</serviceToken>", "<serviceToken>\n    \(secret)\n</serviceToken>",
            "service_token: \(secret)", "service_token: '\(secret)'", "service_token: \"\(secret)\"",
            "string serviceToken = \"\(secret)\";", "var serviceToken string = \"\(secret)\"",
            "serviceToken := \"\(secret)\"", "serviceToken := `\(secret)`", "String serviceToken = \"\(secret)\";",
            "var serviceToken = \"\(secret)\"", "$serviceToken .= \"\(secret)\"", "serviceToken = '\(secret)'",
            "System.setProperty(\"SERVICE_TOKEN\", \"\(secret)\")", "  \"serviceToken\" => \"\(secret)\"",
            "SERVICE_TOKEN = \"\(secret)\"", "SERVICE_TOKEN := \"\(secret)\"", "SERVICE_TOKEN ::= \"\(secret)\"",
            "SERVICE_TOKEN :::= \"\(secret)\"", "SERVICE_TOKEN ?= \"\(secret)\"",
            "{\"config.ini\": \"SERVICE_TOKEN=\(secret)\\nBACKUP_ENABLED=true\"}",
        ]
        for text in shapes {
            let found = scanner.values(in: text)
            #expect(found.count == 1, "\(text)")
            #expect(found.first?.1 == secret, "\(text)")
        }
    }

    @Test func providerKeywordAndHighEntropyRules() {
        var rng = SplitMix64(seed: 32)
        let uuid = [8, 4, 4, 4, 12].map { Gen.random($0, Gen.hexLower, &rng) }.joined(separator: "-")
        #expect(scanner.values(in: "HEROKU_API_KEY=\(uuid)").first?.0 == SecretKind(rawValue: "heroku_api_key"))
        // A bare UUID next to a neutral name is an identifier, not a secret.
        #expect(scanner.scan("request_id=\(uuid)").isEmpty)
        let b64 = Gen.random(43, Gen.b64, &rng) + "="
        #expect(scanner.values(in: "mimi=\(b64)").first?.1 == b64)
        #expect(scanner.scan("integrity=\(b64)").isEmpty)
        let hex = Gen.random(40, Gen.hexLower, &rng)
        #expect(scanner.values(in: "req.Header.Set(\"Authorization\", \"token \(hex)\")").first?.1 == hex)
        #expect(scanner.scan("the token bucket algorithm refills slowly").isEmpty)
    }

    @Test func githubShapedTokenWithBadChecksumNeedsContext() {
        var rng = SplitMix64(seed: 33)
        let fake = "ghp_" + Gen.random(36, Gen.alnum, &rng)
        guard !TokenChecksum.verifiesGitHubStyle(body: Array(fake.utf8.dropFirst(4))) else { return }
        #expect(scanner.scan("see \(fake) here").isEmpty)
        let f = scanner.scan("github_api_token = \"\(fake)\"")
        #expect(f.first?.kind == .githubToken)
        #expect(f.first?.checksumVerified == false)
    }

    @Test func npmChecksumIsRecordedNotRequired() {
        var rng = SplitMix64(seed: 34)
        let valid = Gen.githubToken(prefix: "npm_", &rng)
        #expect(scanner.scan("x \(valid) y").first?.checksumVerified == true)
        let random = "npm_" + Gen.random(36, Gen.alnum, &rng)
        #expect(scanner.scan("x \(random) y").first?.kind == .npmToken)
    }

    @Test func moreProviderShapes() {
        var rng = SplitMix64(seed: 35)
        let hook = "https://discord.com/api/webhooks/1234567890123456789/" + Gen.random(68, Gen.b64url, &rng)
        #expect(scanner.values(in: "notify: \(hook)").first?.1 == hook)
        let ado = Gen.random(52, Array("abcdefghijklmnopqrstuvwxyz0123456789"), &rng)
        #expect(scanner.values(in: "AZURE_DEVOPS_TOKEN=\(ado)").first?.0 == SecretKind(rawValue: "azure_devops_pat"))
        let webhookNoScheme = "hooks.slack.com/services/T" + Gen.random(10, Gen.upperDigits, &rng) + "/B"
            + Gen.random(10, Gen.upperDigits, &rng) + "/" + Gen.random(24, Gen.alnum, &rng)
        #expect(scanner.values(in: "url: \(webhookNoScheme)").first?.0 == .slackWebhook)
        let basic = "Authorization: Basic " + Gen.base64url(Array("deploy:Zq8!pLm2xR".utf8))
        #expect(scanner.scan(basic).first?.kind == .basicAuthPassword)
    }
}
