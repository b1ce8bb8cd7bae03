import BulwarkTesting
import Foundation
import Testing
@testable import BulwarkSecurity

@Suite struct ProviderRuleTests {
    let scanner = SecretScanner()

    func single(_ text: String) -> (SecretKind, String)? {
        let v = scanner.values(in: text)
        return v.count == 1 ? v[0] : nil
    }

    @Test func awsAccessKeyAndSecret() {
        var rng = SplitMix64(seed: 1)
        let id = "AKIA" + Gen.random(16, Gen.upperDigits, &rng)
        let secret = Gen.random(40, Gen.b64, &rng)
        let found = scanner.values(in: "aws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n")
        #expect(found.map(\.0) == [.awsAccessKeyID, .awsSecretAccessKey])
        #expect(found.map(\.1) == [id, secret])
        #expect(single("key: ASIA" + Gen.random(16, Gen.upperDigits, &rng))?.0 == .awsAccessKeyID)
    }

    @Test func prefixTokens() {
        var rng = SplitMix64(seed: 2)
        var cases: [(String, SecretKind)] = []
        let t1: String = "glpat-" + Gen.random(20, Gen.b64url, &rng)
        cases.append((t1, .gitlabToken))
        let t3: String = "xoxb-" + "\(100000000000 + rng.next() % 99999999999)-" + "\(100000000000 + rng.next() % 99999999999)-" + Gen.random(24, Gen.alnum, &rng)
        cases.append((t3, .slackToken))
        let t5: String = "sk_live_" + Gen.random(24, Gen.alnum, &rng)
        cases.append((t5, .stripeSecretKey))
        let t7: String = "rk_live_" + Gen.random(24, Gen.alnum, &rng)
        cases.append((t7, .stripeSecretKey))
        let t9: String = "AIza" + Gen.random(35, Gen.b64url, &rng)
        cases.append((t9, .googleAPIKey))
        let t11: String = "sk-proj-" + Gen.random(120, Gen.b64url, &rng)
        cases.append((t11, .openAIAPIKey))
        let t13: String = "sk-" + Gen.random(20, Gen.alnum, &rng) + "T3BlbkFJ" + Gen.random(20, Gen.alnum, &rng)
        cases.append((t13, .openAIAPIKey))
        let t15: String = "SG." + Gen.random(22, Gen.b64url, &rng) + "." + Gen.random(43, Gen.b64url, &rng)
        cases.append((t15, .sendgridAPIKey))
        let t17: String = "SK" + Gen.random(32, Gen.hexLower, &rng)
        cases.append((t17, .twilioAPIKey))
        let t19: String = "npm_" + Gen.random(36, Gen.alnum, &rng)
        cases.append((t19, .npmToken))
        let t21: String = "github_pat_" + Gen.random(22, Gen.alnum, &rng) + "_" + Gen.random(59, Gen.alnum, &rng)
        cases.append((t21, .githubToken))
        let t23: String = "https://hooks.slack.com/services/T" + Gen.random(10, Gen.upperDigits, &rng) + "/B" + Gen.random(10, Gen.upperDigits, &rng) + "/" + Gen.random(24, Gen.alnum, &rng)
        cases.append((t23, .slackWebhook))
        let t25: String = Gen.jwt(&rng)
        cases.append((t25, .jwt))
        let t27: String = "shpat_" + Gen.random(32, Gen.hexLower, &rng)
        cases.append((t27, SecretKind(rawValue: "shopify_token")))
        let t29: String = "dop_v1_" + Gen.random(64, Gen.hexLower, &rng)
        cases.append((t29, SecretKind(rawValue: "digitalocean_token")))
        let t31: String = "hf_" + Gen.random(34, Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), &rng)
        cases.append((t31, SecretKind(rawValue: "huggingface_token")))
        let t33: String = "pypi-AgEIcHlwaS5vcmc" + Gen.random(60, Gen.b64url, &rng)
        cases.append((t33, SecretKind(rawValue: "pypi_token")))
        let t35: String = "xoxe-1-" + Gen.random(140, Gen.alnum, &rng) + "9"
        cases.append((t35, .slackToken))
        let t37: String = "sq0atp-" + Gen.random(22, Gen.b64url, &rng)
        cases.append((t37, SecretKind(rawValue: "square_access_token")))
        for (token, kind) in cases {
            let found = single("value \"\(token)\" end")
            #expect(found?.0 == kind, "\(kind.rawValue)")
            #expect(found?.1 == token, "\(kind.rawValue)")
        }
    }

    @Test func privateKeyBlocksPlainJSONAndYAML() {
        var rng = SplitMix64(seed: 3)
        let lines = (0..<4).map { _ in Gen.random(64, Gen.b64, &rng) }
        for label in ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"] {
            let pem = "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----"
            let plain = single("x\n" + pem + "\ny")
            #expect(plain?.0 == .privateKey)
            #expect(plain?.1 == pem)
            let json = pem.replacingOccurrences(of: "\n", with: "\\n")
            #expect(single("{\"key\": \"\(json)\"}")?.1 == json)
            let yaml = pem.replacingOccurrences(of: "\n", with: "\n    ")
            #expect(single("tls:\n  key: |\n    \(yaml)\n  cert: a\n")?.1 == yaml)
        }
        // Public material is not a secret.
        let pub = "-----BEGIN PUBLIC KEY-----\n" + lines.joined(separator: "\n") + "\n-----END PUBLIC KEY-----"
        #expect(scanner.scan(pub).isEmpty)
        let cert = "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----"
        #expect(scanner.scan(cert).isEmpty)
    }

    @Test func passwordsInAssignmentsAndLogs() {
        #expect(single("DB_PASSWORD=Tr0ub4dor3x")?.1 == "Tr0ub4dor3x")
        #expect(single("  \"smtp_password\": \"Kettle-Arrow-92!\",")?.1 == "Kettle-Arrow-92!")
        #expect(single("ERROR login failed user=bob password=q8Wm!zz0Pa ip=10.0.0.1")?.1 == "q8Wm!zz0Pa")
        #expect(single("redis_password: 'maple-orbit-falcon-lantern'")?.1 == "maple-orbit-falcon-lantern")
        #expect(single("Password := \"Hx9-kk2LmQ\"")?.1 == "Hx9-kk2LmQ")
        #expect(single("[db]\npasswd = pW4rd$$Zeta\n")?.1 == "pW4rd$$Zeta")
    }

    @Test func urlUserInfoPasswords() {
        let f = scanner.values(in: "DATABASE_URL=postgresql://app:S3cr%21tPass@db.internal:5432/app")
        #expect(f.count == 1)
        #expect(f.first?.0 == .dbConnectionPassword)
        #expect(f.first?.1 == "S3cr%21tPass")
        let g = single("git clone https://deploy:Xy7-plm-Qq2@git.example.org/team/repo.git")
        #expect(g?.0 == .basicAuthPassword)
        #expect(g?.1 == "Xy7-plm-Qq2")
        #expect(scanner.scan("see https://user@example.com/path and https://example.com:8443/x").isEmpty)
    }

    @Test func bearerAndGenericKeys() {
        var rng = SplitMix64(seed: 4)
        let tok = Gen.random(40, Gen.alnum, &rng)
        #expect(single("Authorization: Bearer \(tok)")?.1 == tok)
        #expect(single("Authorization: Bearer \(tok)")?.0 == .bearerToken)
        let hex = Gen.random(32, Gen.hexLower, &rng)
        #expect(single("client_secret = \"\(hex)\"")?.0 == .genericAPIKey)
        #expect(single("curl -H 'X-Api-Key: \(tok)' https://api")?.1 == tok)
        let azure = Gen.random(86, Gen.b64, &rng) + "=="
        #expect(single("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=\(azure);EndpointSuffix=core.windows.net")?.0 == .azureStorageKey)
    }

    @Test func findingPositionsAreScalarAndByteAccurate() {
        var rng = SplitMix64(seed: 5)
        let token = "sk_live_" + Gen.random(24, Gen.alnum, &rng)
        let text = "# café ☕️\nkey: \"\(token)\" 🚀"
        let f = scanner.scan(text)
        #expect(f.count == 1)
        guard let finding = f.first else { return }
        #expect(finding.line == 2)
        #expect(finding.column == 7)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[finding.scalarRange])) == token)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[finding.utf8Range], as: UTF8.self) == token)
        #expect(finding.endColumn - finding.column == token.unicodeScalars.count)
    }
}
