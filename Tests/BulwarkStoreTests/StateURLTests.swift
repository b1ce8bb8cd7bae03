import BulwarkCore
import BulwarkStore
import Testing

@Suite struct StateURLTests {
    @Test func parsesBothKinds() throws {
        #expect(try StateURL(parsing: "sqlite:.bulwark/state.sqlite") == .sqlite(path: ".bulwark/state.sqlite"))
        guard case .postgres(let location) = try StateURL(parsing: "postgres://app:s%40cret@db.internal:6543/bulwark") else {
            Issue.record("not postgres")
            return
        }
        #expect(location.host == "db.internal" && location.port == 6543 && location.username == "app")
        #expect(location.password == "s@cret" && location.database == "bulwark")
        guard case .postgres(let bare) = try StateURL(parsing: "postgresql://postgres@127.0.0.1") else { return }
        #expect(bare.port == 5432 && bare.password == nil && bare.database == nil)
    }

    @Test func badURLsSayWhyWithoutEchoingPasswords() {
        for bad in ["mysql://x@y/z", "sqlite:", "postgres://host-only", "postgres://u:hunter2@h:99999/db", "postgres://@h/db"] {
            do {
                _ = try StateURL(parsing: bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == ErrorCatalog.validationFailed)
                #expect(!error.userMessage.contains("hunter2"))
            }
        }
    }
}
