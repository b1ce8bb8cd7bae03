import Foundation
import Testing

/// Parses `text` as a JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(parsed as? [String: Any], "not a JSON object: \(text)")
}
