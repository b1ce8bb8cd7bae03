import BulwarkTelemetry
import Foundation
import Logging
import Testing

private let mask = LogRedactor.mask

@Suite("LogRedactor")
struct LogRedactorTests {
    let redactor = LogRedactor.standard

    @Test func secretKeysAreRecognisedInAnyCase() {
        for key in [
            "password", "db_password", "PASSWORD", "passwd", "client_secret", "token", "access_token", "api_key",
            "X-Api-Key", "apikey", "Authorization", "cookie", "Set-Cookie", "private_key", "aws_credentials",
        ] {
            #expect(redactor.isSecretKey(key), "\(key)")
        }
        for key in ["user", "path", "method", "status", "request_id", "keyboard", "route"] {
            #expect(!redactor.isSecretKey(key), "\(key)")
        }
    }

    @Test func secretKeyValuesAreMaskedWhateverTheirType() {
        #expect(redactor.redact(key: "password", value: "hunter2") == .string(mask))
        #expect(redactor.redact(key: "token", value: .stringConvertible(123_456)) == .string(mask))
        #expect(redactor.redact(key: "api_key", value: ["a", "b"]) == .string(mask))
        #expect(redactor.redact(key: "cookie", value: ["session": "abc"]) == .string(mask))
    }

    @Test func ordinaryValuesAreKept() {
        #expect(redactor.redact(key: "user", value: "alice") == "alice")
        #expect(redactor.redact(key: "count", value: .stringConvertible(3)) == .stringConvertible(3))
        #expect(redactor.redact(text: "all good here") == "all good here")
        #expect(redactor.redact(text: "") == "")
    }

    @Test func bearerAndBasicCredentialsInTextAreMasked() {
        #expect(redactor.redact(text: "Authorization: Bearer xyz.abc-123") == "Authorization: Bearer \(mask)")
        #expect(redactor.redact(text: "Basic dXNlcjpwYXNz sent") == "Basic \(mask) sent")
        #expect(redactor.redact(text: "got bearer abc and BASIC def") == "got bearer \(mask) and BASIC \(mask)")
    }

    @Test func extraSpacesBeforeTheCredentialDoNotLeakIt() {
        #expect(redactor.redact(text: "Authorization: Bearer  xyz") == "Authorization: Bearer  \(mask)")
        #expect(redactor.redact(text: "Basic   abc def") == "Basic   \(mask) def")
        #expect(redactor.redact(text: "ends with Bearer ") == "ends with Bearer ")
        #expect(redactor.redact(text: "ends with Bearer  ") == "ends with Bearer  ")
    }

    @Test func urlUserInfoPasswordsAreMasked() {
        #expect(redactor.redact(text: "connect postgres://u:secret@h/db") == "connect postgres://u:\(mask)@h/db")
        #expect(redactor.redact(text: "postgres://u:secret@h:5432") == "postgres://u:\(mask)@h:5432")
        #expect(redactor.redact(text: "https://onlytoken@host/x") == "https://\(mask)@host/x")
        #expect(redactor.redact(text: "a http://x:p1@h1/ b http://y:p2@h2/") == "a http://x:\(mask)@h1/ b http://y:\(mask)@h2/")
        #expect(redactor.redact(text: "plain http://host/path@notuserinfo") == "plain http://host/path@notuserinfo")
    }

    @Test func secretQueryParametersAreMaskedOthersKept() {
        #expect(redactor.redact(text: "GET /v1/items?api_key=K123&x=1") == "GET /v1/items?api_key=\(mask)&x=1")
        #expect(redactor.redact(text: "/cb?x=1&token=T9&y=2") == "/cb?x=1&token=\(mask)&y=2")
        #expect(redactor.redact(text: "password=hunter2") == "password=\(mask)")
        #expect(redactor.redact(text: "page=2&size=10") == "page=2&size=10")
    }

    @Test func secretQueryParameterInsideAnotherParametersURLIsMasked() {
        // The secret sits after a '?' inside a value that itself follows a '='.
        #expect(redactor.redact(text: "redirect=https://h/cb?token=T9") == "redirect=https://h/cb?token=\(mask)")
        #expect(redactor.redact(text: "url=https://api/x?api_key=K1&page=2") == "url=https://api/x?api_key=\(mask)&page=2")
    }

    @Test func arraysAreScannedElementByElement() {
        let value = redactor.redact(key: "headers", value: ["Bearer abc", "ok"])
        #expect(value == .array([.string("Bearer \(mask)"), .string("ok")]))
    }

    @Test func extraScannerRunsAfterBuiltInRules() {
        var custom = LogRedactor.standard
        custom.extraScanner = { $0.replacingOccurrences(of: "AKIA", with: "[KEY]") }
        #expect(custom.redact(text: "key AKIA123 Bearer t") == "key [KEY]123 Bearer \(mask)")
        #expect(custom.redact(text: "nospaceAKIA") == "nospace[KEY]")
    }

    @Test func customFragments() {
        let custom = LogRedactor(secretKeyFragments: ["ssn"])
        #expect(custom.isSecretKey("user_SSN"))
        #expect(!custom.isSecretKey("password"))
    }

    @Test func fragmentsMatchAnywhereInAnyCaseAndOnlyWhole() {
        let redactor = LogRedactor(secretKeyFragments: ["pin", "pinhole", "pass", "x"])
        for key in ["PIN", "user_pin", "myPass", "pinholecamera", "X", "a_x_b"] {
            #expect(redactor.isSecretKey(key), "\(key)")
        }
        for key in ["pi", "p", "", "pa_ss"] {
            #expect(!redactor.isSecretKey(key), "\(key)")
        }
        #expect(redactor.isSecretKey("PINE"), "contains pin")
        #expect(!LogRedactor(secretKeyFragments: []).isSecretKey("password"))
        #expect(LogRedactor(secretKeyFragments: [""]).isSecretKey("anything"), "an empty fragment is in every key")
        #expect(LogRedactor(secretKeyFragments: ["é"]).isSecretKey("café_key"), "non-ASCII fragments match by bytes")
    }

    @Test func noSecretValueAppearsAnywhereInTheRenderedLine() throws {
        let sink = MemorySink()
        var logger = jsonLogger(sink)
        logger[metadataKey: "authorization"] = "Bearer S1-handler-auth"
        logger.info(
            "calling postgres://svc:S2-url-pass@db/prod with Authorization: Bearer S3-msg-bearer and Basic S4-msg-basic, GET /x?api_key=S5-query&x=1",
            metadata: [
                "password": "S6-password",
                "db_password": "S7-db-password",
                "api_key": "S8-api-key",
                "Cookie": "session=S9-cookie",
                "token": .stringConvertible(987_654_321),
                "request_id": "Bearer S10-lifted",
                "upstream": ["url": "http://u:S11-nested-url@h/", "client_secret": "S12-nested-secret"],
                "list": ["Basic S13-in-array"],
                "target": "/login?password=S14-query-meta&next=/home",
                "user": "alice",
            ])
        let line = sink.lines[0]
        for secret in [
            "S1-handler-auth", "S2-url-pass", "S3-msg-bearer", "S4-msg-basic", "S5-query", "S6-password",
            "S7-db-password", "S8-api-key", "S9-cookie", "987654321", "S10-lifted", "S11-nested-url",
            "S12-nested-secret", "S13-in-array", "S14-query-meta",
        ] {
            #expect(!line.contains(secret), "\(secret) leaked: \(line)")
        }
        let record = try parseLine(line)
        // The word after `Basic` is replaced whole, trailing comma included.
        #expect(record["message"] as? String
            == "calling postgres://svc:\(mask)@db/prod with Authorization: Bearer \(mask) and Basic \(mask) GET /x?api_key=\(mask)&x=1")
        #expect(record["request_id"] as? String == "Bearer \(mask)")
        let nested = try #require(record["metadata"] as? [String: Any])
        #expect(nested["password"] as? String == mask)
        #expect(nested["authorization"] as? String == mask)
        #expect(nested["token"] as? String == mask)
        #expect(nested["user"] as? String == "alice")
        #expect(nested["target"] as? String == "/login?password=\(mask)&next=/home")
        let upstream = try #require(nested["upstream"] as? [String: Any])
        #expect(upstream["client_secret"] as? String == mask)
        #expect(upstream["url"] as? String == "http://u:\(mask)@h/")
        #expect(nested["list"] as? [String] == ["Basic \(mask)"])
    }
}
