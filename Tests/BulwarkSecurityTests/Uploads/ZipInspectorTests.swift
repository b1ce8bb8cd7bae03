import Testing
@testable import BulwarkSecurity

@Suite struct ZipInspectorTests {
    typealias Entry = ZipFixture.Entry
    let inspector = ZipInspector()

    func problem(_ zip: ZipFixture, _ inspector: ZipInspector = ZipInspector()) -> ZipProblem? {
        if case .failure(let problem) = inspector.inspect(zip.bytes()) { return problem }
        return nil
    }

    static let text = UploadFixtures.ascii("hello, archive\n")

    @Test func acceptsAnOrdinaryArchiveAndSummarizesIt() throws {
        var zip = ZipFixture([Entry("docs/", []), Entry("docs/a.txt", Self.text), Entry("b.bin", Array(repeating: 7, count: 300), method: 8, uncompressedSize: 3_000)])
        zip.comment = UploadFixtures.ascii("a comment mentioning PK\u{5}\u{6} inside")
        let summary = try inspector.inspect(zip.bytes()).get()
        #expect(summary.entries.map(\.name) == ["docs/", "docs/a.txt", "b.bin"])
        #expect(summary.totalCompressed == Self.text.count + 300)
        #expect(summary.totalUncompressed == Self.text.count + 3_000)
        #expect(summary.entries[2].method == 8)
        #expect((try? inspector.inspect(ZipFixture([]).bytes()).get())?.entries.isEmpty == true)
    }

    @Test func entryCountIsCheckedBeforeAnyEntryIsRead() {
        let tenThousand = ZipFixture((0..<10_000).map { Entry("f\($0)", []) })
        #expect(problem(tenThousand) == nil)
        let oneMore = ZipFixture((0..<10_001).map { Entry("f\($0)", []) })
        #expect(problem(oneMore) == .tooManyEntries(count: 10_001, limit: 10_000))
        // The count alone decides: a directory claiming 60,000 entries is refused without reading them.
        var claims = ZipFixture([Entry("a", [])])
        claims.declaredCount = 60_000
        #expect(problem(claims) == .tooManyEntries(count: 60_000, limit: 10_000))
    }

    @Test func a42ZipStyleArchiveIsRefusedByDeclaredSizes() {
        // Sixteen 1 KB entries each claiming to expand to 4 GB, as in 42.zip's first layer.
        let layer = ZipFixture((0..<16).map { Entry("lib \($0).txt", Array(repeating: 0x55, count: 1_024), method: 8, uncompressedSize: 4_294_000_000) })
        #expect(problem(layer) == .uncompressedTooLarge(bytes: 4_294_000_000, limit: 1 << 30))
        let generous = ZipInspector(limits: ArchiveLimits(maxUncompressedBytes: .max))
        #expect(problem(layer, generous) == .compressionRatio(ratio: 4_294_000_000 * 16 / (16 * 1_024), limit: 100))
    }

    @Test func compressionRatioAtAndOverTheLimit() {
        let atLimit = ZipFixture([Entry("a.csv", Array(repeating: 1, count: 20_000), method: 8, uncompressedSize: 2_000_000)])
        #expect(problem(atLimit) == nil)
        let over = ZipFixture([Entry("a.csv", Array(repeating: 1, count: 20_000), method: 8, uncompressedSize: 2_000_001)])
        #expect(problem(over) == .compressionRatio(ratio: 100, limit: 100))
        // Small archives may compress as well as they like.
        let small = ZipFixture([Entry("zeros.txt", Array(repeating: 0, count: 30), method: 8, uncompressedSize: 1 << 20)])
        #expect(problem(small) == nil)
        let nothing = ZipFixture([Entry("zeros.txt", [], method: 8, uncompressedSize: (1 << 20) + 1)])
        #expect(problem(nothing) == .compressionRatio(ratio: (1 << 20) + 1, limit: 100))
    }

    @Test func zipSlipNamesAreRefused() {
        let cases: [(String, String)] = [
            ("../evil.sh", "climbs out of the archive with '..'"), ("a/../../evil.sh", "climbs out of the archive with '..'"),
            ("a/.. /x", "climbs out of the archive with '..'"), ("/etc/cron.d/x", "has an absolute path"),
            ("C:/Windows/x.dll", "has a drive-letter path"), ("a\\..\\x", "uses a backslash in its name"),
            ("ok\u{0}.txt", "has a control character in its name"), ("", "has an empty name"),
        ]
        for (name, reason) in cases {
            #expect(problem(ZipFixture([Entry(name, Self.text)])) == .unsafeName(name: name, reason: reason), "\(name.debugDescription)")
        }
        #expect(problem(ZipFixture([Entry("a..b/c...d.txt", Self.text)])) == nil)
    }

    @Test func nestedArchivesAreRefusedByNameAndByStoredContent() {
        #expect(problem(ZipFixture([Entry("inner.ZIP", Self.text)])) == .nestedArchive(name: "inner.ZIP"))
        #expect(problem(ZipFixture([Entry("backup.tar.gz", Self.text)])) == .nestedArchive(name: "backup.tar.gz"))
        let innerZip = ZipFixture([Entry("x.txt", Self.text)]).bytes()
        #expect(problem(ZipFixture([Entry("harmless.dat", innerZip)])) == .nestedArchive(name: "harmless.dat"))
        #expect(problem(ZipFixture([Entry("data.gz.txt", [0x1F, 0x8B, 8, 0, 0, 0])])) == .nestedArchive(name: "data.gz.txt"))
        let permissive = ZipInspector(limits: ArchiveLimits(allowNestedArchives: true))
        #expect(problem(ZipFixture([Entry("inner.zip", innerZip)]), permissive) == nil)
        // Office documents embed packages under embeddings/; only their containers allow that.
        let embedded = ZipFixture([Entry("word/embeddings/Sheet1.xlsx", innerZip)]).bytes()
        #expect((try? inspector.inspect(embedded, allowingEmbeddings: true).get()) != nil)
        #expect((try? inspector.inspect(embedded).get()) == nil)
    }

    @Test func aCentralDirectoryLyingAboutSizesIsRefused() {
        var biggerCompressed = Entry("a.txt", Self.text)
        biggerCompressed.centralCompressedSize = 10_000
        biggerCompressed.centralUncompressedSize = 10_000
        #expect(problem(ZipFixture([biggerCompressed])) == .entryOutOfBounds(name: "a.txt"))
        var smallerUncompressed = Entry("a.txt", Self.text, method: 8, uncompressedSize: 500)
        smallerUncompressed.centralUncompressedSize = 5
        #expect(problem(ZipFixture([smallerUncompressed])) == .headerMismatch(name: "a.txt"))
        var stored = Entry("a.txt", Self.text)
        stored.centralUncompressedSize = 99
        #expect(problem(ZipFixture([stored])) == .storedSizeMismatch(name: "a.txt"))
        var renamed = Entry("a.txt", Self.text)
        renamed.localName = "b.txt"
        #expect(problem(ZipFixture([renamed])) == .headerMismatch(name: "a.txt"))
        var remethod = Entry("a.txt", Self.text, method: 8)
        remethod.centralMethod = 0
        #expect(problem(ZipFixture([remethod])) == .headerMismatch(name: "a.txt"))
        // With a data descriptor (flag bit 3) the local sizes are not binding, only the central ones.
        var deferred = Entry("a.txt", Self.text, method: 8, uncompressedSize: 100)
        deferred.centralUncompressedSize = 150
        #expect(problem(ZipFixture([deferred])) == .headerMismatch(name: "a.txt"))
        deferred.flags = 0x08
        #expect(problem(ZipFixture([deferred])) == nil)
    }

    @Test func duplicateNamesAreRefused() {
        #expect(problem(ZipFixture([Entry("a.txt", Self.text), Entry("a.txt", Self.text)])) == .duplicateName(name: "a.txt"))
    }

    @Test func entriesSharingBytesAreRefused() {
        // A complete local header for "b.txt" hidden inside a.txt's stored data, and a directory
        // entry pointing at it: two files, one set of bytes (how overlapping zip bombs work).
        typealias F = UploadFixtures
        let hidden = [0x50, 0x4B, 0x03, 0x04] + F.le16(20) + F.le16(0) + F.le16(0) + F.le16(0) + F.le16(0x21) + F.le32(0)
            + F.le32(Self.text.count) + F.le32(Self.text.count) + F.le16(5) + F.le16(0) + F.ascii("b.txt") + Self.text
        let padding = [UInt8](repeating: 0x20, count: 10)
        var inner = Entry("b.txt", Self.text)
        inner.centralLocalOffset = 30 + 5 + padding.count
        let zip = ZipFixture([Entry("a.txt", padding + hidden + padding), inner])
        #expect(problem(zip) == .overlappingEntries(name: "b.txt"))
    }

    @Test func directoryAndEndRecordCorruption() {
        var undercount = ZipFixture([Entry("a", Self.text), Entry("b", Self.text)])
        undercount.declaredCount = 1
        #expect(problem(undercount) == .entryCountMismatch)
        var overcount = ZipFixture([Entry("a", Self.text)])
        overcount.declaredCount = 2
        #expect(problem(overcount) == .entryCountMismatch)
        var pastEnd = ZipFixture([Entry("a", Self.text)])
        pastEnd.directorySizeDelta = 1_000
        #expect(problem(pastEnd) == .centralDirectoryOutOfBounds)
        var wrongOffset = ZipFixture([Entry("a", Self.text)])
        wrongOffset.directoryOffsetOverride = 3
        #expect(problem(wrongOffset) == .entryCountMismatch)
        var outside = Entry("a", Self.text)
        outside.centralLocalOffset = 1_000_000
        #expect(problem(ZipFixture([outside])) == .entryOutOfBounds(name: "a"))
        let bytes = ZipFixture([Entry("a", Self.text)]).bytes()
        #expect(inspector.inspect(bytes.dropLast()) == .failure(.missingEndRecord))
        #expect(inspector.inspect(bytes + [0]) == .failure(.missingEndRecord))
        #expect(inspector.inspect(UploadFixtures.ascii("PK")) == .failure(.missingEndRecord))
        var multi = bytes
        multi[multi.count - 22 + 4] = 1
        #expect(inspector.inspect(multi) == .failure(.multiDisk))
        var zip64 = bytes
        zip64.replaceSubrange((zip64.count - 22 + 16)..<(zip64.count - 22 + 20), with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(inspector.inspect(zip64) == .failure(.zip64))
    }

    @Test func encryptionAndMethods() {
        var encrypted = Entry("secret.txt", Self.text)
        encrypted.flags = 1
        #expect(problem(ZipFixture([encrypted])) == .encrypted(name: "secret.txt"))
        #expect(problem(ZipFixture([Entry("x.txt", Self.text, method: 14)])) == .unsupportedMethod(name: "x.txt", method: 14))
    }
}
