import BulwarkCore

/// Correlation ids: an incoming `X-Request-ID` is kept when it is safe to echo and log (at most
/// 128 characters of `[A-Za-z0-9._-]`), otherwise a fresh one is generated, so a hostile header can
/// neither forge log lines nor bloat them.
public enum RequestIDPolicy {
    public static let headerName = "X-Request-ID"
    public static let maxLength = 128

    public static func isWellFormed<S: StringProtocol>(_ candidate: S) -> Bool {
        let utf8 = candidate.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength else { return false }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// The id to use for a request: the incoming one if well-formed, else a generated one.
    public static func resolve<G: RandomNumberGenerator>(incoming: String?, using generator: inout G) -> String {
        resolveNoting(incoming: incoming, using: &generator).id
    }

    /// `resolve`, also saying whether the id was generated here: a generated id is random hex that
    /// cannot carry a client's secret, so the access log can write it without scanning it.
    public static func resolveNoting<G: RandomNumberGenerator>(incoming: String?, using generator: inout G)
        -> (id: String, isGenerated: Bool)
    {
        if let incoming, isWellFormed(incoming) { return (incoming, false) }
        return (generate(using: &generator), true)
    }

    /// 32 lowercase hex digits (128 random bits). Callers on hot paths pass a per-thread generator,
    /// since the system generator costs a syscall per call.
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let high = generator.next()
        let low = generator.next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            HexDigits.write(high, into: buffer, at: 0)
            HexDigits.write(low, into: buffer, at: 16)
            return 32
        }
    }
}
