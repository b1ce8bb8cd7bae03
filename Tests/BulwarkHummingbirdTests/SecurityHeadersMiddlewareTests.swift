import BulwarkHTTP
import BulwarkHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("BulwarkMiddleware: security headers and request id")
struct SecurityHeadersMiddlewareTests {
    @Test(arguments: Mode.allCases)
    func securityHeadersPresentAndNoServerHeader(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            try await client.execute(uri: "/leaky", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.xFrameOptions] == "DENY")
                #expect(response.headers[.csp] == "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
                #expect(response.headers[.referrerPolicy] == "no-referrer")
                #expect(response.headers[.crossOriginOpenerPolicy] == nil)
                #expect(response.headers[.crossOriginResourcePolicy] == nil)
                #expect(response.headers[.server] == nil)
                #expect(response.headers[.xPoweredBy] == nil)
                #expect(response.headers[.strictTransportSecurity] == nil)
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func errorResponsesCarrySecurityHeadersToo(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            try await client.execute(uri: "/nope", method: .get) { response throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.xFrameOptions] == "DENY")
                #expect(try isGeneratedID(response.headers[.requestID]))
            }
        }
    }

    @Test func hstsOnlyWhenServedOverTLS() async throws {
        var harness = Harness()
        harness.overTLS = true
        let app = Application(router: harness.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/hello", method: .get) { response throws in
                #expect(response.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
            }
        }
    }

    @Test func aHandlersOwnSecurityHeaderIsKept() async throws {
        let app = Application(router: Harness().router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/own-csp", method: .get) { response throws in
                #expect(response.headers[.csp] == "default-src 'self'")
                #expect(response.headers[.xFrameOptions] == "DENY")
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func wellFormedRequestIDIsKept(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            try await client.execute(uri: "/whoami", method: .get, headers: [.requestID: "client-req_42.a"]) { response throws in
                #expect(response.headers[.requestID] == "client-req_42.a")
                // Handlers see the same id in their logger metadata.
                #expect(String(buffer: response.body) == "client-req_42.a")
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func malformedRequestIDIsReplaced(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            for bad in ["has spaces in it", String(repeating: "a", count: 129), "a/b", "<script>"] {
                try await client.execute(uri: "/whoami", method: .get, headers: [.requestID: bad]) { response throws in
                    let id = response.headers[.requestID]
                    #expect(id != bad)
                    #expect(try isGeneratedID(id), "\(id ?? "nil")")
                    #expect(String(buffer: response.body) == id)
                }
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func missingRequestIDIsGeneratedAndDistinct(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            let first = try await client.execute(uri: "/hello", method: .get) { $0.headers[.requestID] }
            let second = try await client.execute(uri: "/hello", method: .get) { $0.headers[.requestID] }
            #expect(try isGeneratedID(first))
            #expect(try isGeneratedID(second))
            #expect(first != second)
        }
    }
}
