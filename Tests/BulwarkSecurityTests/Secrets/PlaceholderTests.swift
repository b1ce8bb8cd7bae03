import BulwarkTesting
import Testing
@testable import BulwarkSecurity

@Suite struct PlaceholderTests {
    let scanner = SecretScanner()

    @Test(arguments: [
        "API_KEY=changeme",
        "api_key: \"<your-key>\"",
        "API_KEY=${API_KEY}",
        "apiKey: {{ .Values.apiKey }}",
        "OPENAI_API_KEY=YOUR_API_KEY_HERE",
        "password: \"********\"",
        "token=REDACTED",
        "session_id=[REDACTED]",
        "STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "aws_access_key_id = AKIAXXXXXXXXXXXXXXXX",
        "password = os.environ[\"DB_PASSWORD\"]",
        "const token = process.env.GITHUB_TOKEN;",
        "password = getenv(\"PW\")",
        "password = input()",
        "def login(password: str) -> bool:",
        "let key = ProcessInfo.processInfo.environment[\"GITHUB_TOKEN\"] ?? \"\"",
        "TWILIO_API_KEY = \"\"  # set in deployment",
        "request_id: f552cc50-23d8-319a-ea11-81f76f3adcbd",
        "trace_id: c189941acf780de956fe5d1483d7a598",
        "deployed commit ac5d960c71f2731a0ce76f67ca8980aab6ae4bc1",
        "sha256:3d2a43a6ada270691286d33cd6909d4585e48b7f8b97acc97187c257354d2c36  app.tar.gz",
        "\"integrity\": \"sha512-B5Uvoad/+q5QMegD5vfX3r1HDY0hWokTpXtZVuRT/L/K4kxegm7LKhgiXWnhiId2BJKKO8NqOmXFjpzUukMrMT==\"",
        "const stripe = Stripe('pk_live_Zk7bcctMFyW8DgKacn26cDBb');",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIXFq9fYVPHyUmvmTVcvFKXMhbzlEd4VvOzuYFl7iKCyZ deploy@ci",
        "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk\">",
        "GITLAB_TOKEN = ${DB_PASSWORD}",
        "password: ''",
        "user=alice@example.com action=login result=success",
    ])
    func placeholderIsNotASecret(_ text: String) {
        #expect(scanner.scan(text).isEmpty, "\(text)")
    }

    @Test func maskedPreviewNeverContainsTheSecret() {
        var rng = SplitMix64(seed: 9)
        let samples = [
            "password=" + Gen.random(14, Gen.alnum, &rng),
            "token: " + Gen.githubToken(&rng),
            "api_key = \"" + Gen.random(40, Gen.b64, &rng) + "\"",
            "Authorization: Bearer " + Gen.random(48, Gen.alnum, &rng),
        ]
        for text in samples {
            for (f, value) in zip(scanner.scan(text), scanner.values(in: text).map(\.1)) {
                #expect(!f.maskedPreview.contains(value))
                #expect(!f.description.contains(value))
                #expect(!f.debugDescription.contains(value))
                // Only the public prefix may appear.
                let afterPrefix = String(value.dropFirst(4))
                #expect(!f.maskedPreview.contains(afterPrefix))
            }
        }
    }
}
