/// The type of credential a finding represents.
///
/// A string-backed struct rather than an enum so new provider kinds can be added without
/// breaking exhaustive switches in client code; raw values match the corpus labels.
public struct SecretKind: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: SecretKind, rhs: SecretKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let awsAccessKeyID = SecretKind(rawValue: "aws_access_key_id")
    public static let awsSecretAccessKey = SecretKind(rawValue: "aws_secret_access_key")
    public static let githubToken = SecretKind(rawValue: "github_token")
    public static let gitlabToken = SecretKind(rawValue: "gitlab_token")
    public static let slackToken = SecretKind(rawValue: "slack_token")
    public static let slackWebhook = SecretKind(rawValue: "slack_webhook")
    public static let stripeSecretKey = SecretKind(rawValue: "stripe_secret_key")
    public static let googleAPIKey = SecretKind(rawValue: "google_api_key")
    public static let openAIAPIKey = SecretKind(rawValue: "openai_api_key")
    public static let sendgridAPIKey = SecretKind(rawValue: "sendgrid_api_key")
    public static let twilioAPIKey = SecretKind(rawValue: "twilio_api_key")
    public static let npmToken = SecretKind(rawValue: "npm_token")
    public static let jwt = SecretKind(rawValue: "jwt")
    public static let privateKey = SecretKind(rawValue: "private_key")
    public static let password = SecretKind(rawValue: "password")
    public static let dbConnectionPassword = SecretKind(rawValue: "db_connection_password")
    public static let basicAuthPassword = SecretKind(rawValue: "basic_auth_password")
    public static let bearerToken = SecretKind(rawValue: "bearer_token")
    public static let genericAPIKey = SecretKind(rawValue: "generic_api_key")
    public static let azureStorageKey = SecretKind(rawValue: "azure_storage_key")
}
