import BulwarkHTTP
import Testing

@Suite("Client keys for per-IP protection")
struct ClientKeyTests {
    @Test(arguments: [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::5", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::", "2001:db8:1:2::/64"),
        ("::1", "::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("unknown", "unknown"),
        ("2001:db8::zz", "2001:db8::zz"),
    ])
    func addressesMapToTheirKey(address: String, key: String) {
        #expect(ClientKey.of(address) == key)
    }

    @Test func oneSubscriberIsOneKey() {
        let keys = Set((1...50).map { ClientKey.of("2001:db8:aa:bb::\(String($0, radix: 16))") })
        #expect(keys == ["2001:db8:aa:bb::/64"])
        #expect(ClientKey.of("2001:db8:aa:bc::1") != ClientKey.of("2001:db8:aa:bb::1"))
    }
}
