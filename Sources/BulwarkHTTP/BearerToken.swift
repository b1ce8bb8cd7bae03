/// The credential of an `Authorization: Bearer <token>` header, read one way for the admin key
/// and for JWT routes alike: scheme case-insensitive, surrounding spaces ignored, empty is none.
public enum BearerToken {
    public static func parse(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let trimmed = authorization.drop { $0 == " " }
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        var token = trimmed.dropFirst(7).drop { $0 == " " }
        while token.last == " " { token = token.dropLast() }
        return token.isEmpty ? nil : String(token)
    }
}
