import BulwarkGateway

enum BulwarkVersionText {
    static let value = BulwarkVersion.current
}
