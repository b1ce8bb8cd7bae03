@testable import BulwarkGateway
import BulwarkResilience
import Logging
import Metrics
import Testing

/// Admin unblock and clear name an IPv6 client by any of its addresses (entries are kept per /64),
/// and still lift entries kept under an exact address, as blocks and flags made before IPv6
/// clients were counted per /64 are.
@Suite("protection: unblocking IPv6 clients")
struct GatewayProtectionUnblockTests {
    static func protection() throws -> GatewayProtection {
        var config = ProtectionConfig()
        config.ddos = ProtectionConfig.DDoS()
        config.abuse = ProtectionConfig.Abuse()
        return try GatewayProtection(config: config, logger: Logger(label: "test.protection"), metrics: NOOPMetricsHandler.instance)
    }

    @Test func anyAddressOfTheNetworkLiftsItsBlock() throws {
        let protection = try Self.protection()
        protection.blocks.block("2001:db8:1:2::/64", for: .seconds(3600), reason: "test")
        #expect(protection.unblock("2001:db8:1:2::9"))
        #expect(protection.blocks.remaining("2001:db8:1:2::/64") == nil)
        #expect(!protection.unblock("2001:db8:1:2::9"), "nothing left to lift")
    }

    @Test func aBlockKeptUnderTheExactAddressIsLiftedToo() throws {
        let protection = try Self.protection()
        protection.blocks.block("2001:db8::5", for: .seconds(3600), reason: "made by an older version")
        #expect(protection.unblock("2001:db8::5"))
        #expect(protection.blocks.remaining("2001:db8::5") == nil)
    }

    @Test func flagsAreClearedUnderEitherName() throws {
        let protection = try Self.protection()
        let abuse = try #require(protection.abuse)
        for _ in 0..<abuse.threshold { abuse.record(.screened, client: "2001:db8::5") }
        for _ in 0..<abuse.threshold { abuse.record(.screened, client: "2001:db8:9:9::/64") }
        #expect(protection.clearFlag("2001:db8::5"))
        #expect(!abuse.isFlagged("2001:db8::5"))
        #expect(protection.clearFlag("2001:db8:9:9::1"))
        #expect(!abuse.isFlagged("2001:db8:9:9::/64"))
    }
}
