import BulwarkTesting
import Foundation
import Testing

/// Reads the upstream fixture's `/echo` answer: what the upstream received.
struct EchoedRequest {
    let path: String
    /// Header names lower-cased; the last value wins.
    let headers: [String: String]

    init(_ response: RawHTTPConnection.Response) throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        path = json["path"] as? String ?? ""
        var headers: [String: String] = [:]
        for pair in (json["headers"] as? [[String]]) ?? [] where pair.count == 2 { headers[pair[0].lowercased()] = pair[1] }
        self.headers = headers
    }
}
