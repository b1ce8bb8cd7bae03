import BulwarkCore
import Testing
@testable import BulwarkSecurity

@Suite struct UploadValidatorTests {
    typealias F = UploadFixtures
    typealias Entry = ZipFixture.Entry
    let validator = UploadValidator()

    func problem(_ name: String, _ bytes: [UInt8], type: String? = nil, policy: UploadPolicy = UploadPolicy()) -> UploadProblem? {
        if case .failure(let problem) = UploadValidator(policy: policy).inspect(filename: name, contents: bytes, declaredMediaType: type) {
            return problem
        }
        return nil
    }

    static let docxParts = [Entry("[Content_Types].xml", F.ascii("<Types/>")), Entry("word/document.xml", F.ascii("<w:document/>"))]

    @Test func acceptsEachKindWhenNameAndBytesAgree() throws {
        let accepted: [(String, [UInt8], UploadKind)] = [
            ("scan.pdf", F.pdf, .pdf), ("plan.png", F.png(width: 800, height: 600), .png),
            ("photo.JPG", F.jpeg(width: 1024, height: 768), .jpeg), ("photo.jpeg", F.jpeg(width: 100, height: 100), .jpeg),
            ("anim.gif", F.gif(width: 120, height: 120), .gif), ("pic.webp", F.webpLossy(width: 300, height: 300), .webp),
            ("bundle.zip", ZipFixture([Entry("a.txt", F.ascii("hi"))]).bytes(), .zip),
            ("report.docx", ZipFixture(Self.docxParts).bytes(), .docx),
            ("sheet.xlsx", ZipFixture([Entry("[Content_Types].xml", F.ascii("<Types/>")), Entry("xl/workbook.xml", F.ascii("<workbook/>"))]).bytes(), .xlsx),
            ("data.csv", F.ascii("id,name\n1,Zoë\n"), .csv), ("notes.txt", [0xEF, 0xBB, 0xBF] + F.ascii("hello\r\n"), .txt),
        ]
        for (name, bytes, kind) in accepted {
            let upload = try validator.validate(filename: name, contents: bytes)
            #expect(upload.kind == kind, "\(name)")
            #expect(upload.filename == name)
            #expect(upload.byteCount == bytes.count)
        }
        let image = try validator.validate(filename: "plan.png", contents: F.png(width: 800, height: 600), declaredMediaType: "image/png")
        #expect(image.dimensions == ImageDimensions(width: 800, height: 600))
        let archive = try validator.validate(filename: "report.docx", contents: ZipFixture(Self.docxParts).bytes())
        #expect(archive.archive?.entries.count == 2)
    }

    @Test func extensionAndMagicBytesMustAgree() {
        #expect(problem("photo.png", F.jpeg(width: 200, height: 200)) == .contentMismatch(kind: .png, detected: "JPEG"))
        #expect(problem("doc.pdf", F.png(width: 200, height: 200)) == .contentMismatch(kind: .pdf, detected: "PNG"))
        #expect(problem("data.csv", F.pdf) == .contentMismatch(kind: .csv, detected: "PDF"))
        #expect(problem("image.gif", F.ascii("GIF88a....")) == .contentMismatch(kind: .gif, detected: "text"))
        #expect(problem("report.docx", F.pdf) == .contentMismatch(kind: .docx, detected: "PDF"))
        #expect(problem("report.docx", ZipFixture([Entry("a.txt", F.ascii("x"))]).bytes())
            == .contentMismatch(kind: .docx, detected: "a ZIP archive without [Content_Types].xml"))
        #expect(problem("notes.txt", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1]) == .contentMismatch(kind: .txt, detected: "another binary format"))
        #expect(problem("notes.txt", [0x1F, 0x8B, 8, 0]) == .contentMismatch(kind: .txt, detected: "another binary format"))
    }

    @Test func extensionAllowListAndMediaTypes() {
        #expect(problem("run.exe", [0x4D, 0x5A]) == .extensionNotAllowed("exe"))
        #expect(problem("page.html", F.ascii("<html>")) == .extensionNotAllowed("html"))
        #expect(problem("README", F.ascii("hi")) == .missingExtension)
        #expect(problem("trailing.", F.ascii("hi")) == .missingExtension)
        let imagesOnly = UploadPolicy(allowedKinds: [.png, .jpeg])
        #expect(problem("scan.pdf", F.pdf, policy: imagesOnly) == .extensionNotAllowed("pdf"))
        #expect(problem("plan.png", F.png(width: 200, height: 200), type: "image/png; charset=binary") == nil)
        #expect(problem("plan.png", F.png(width: 200, height: 200), type: "application/octet-stream") == nil)
        #expect(problem("plan.png", F.png(width: 200, height: 200), type: "text/html")
            == .mediaTypeMismatch(declared: "text/html", kind: .png))
    }

    @Test func sizeLimitsPerClassAtAndOverTheLimit() {
        let policy = UploadPolicy(maxDocumentBytes: 1_000, maxImageBytes: 500)
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)
        #expect(problem("big.txt", text, policy: policy) == nil)
        #expect(problem("big.txt", text + [0x61], policy: policy) == .tooLarge(bytes: 1_001, limit: 1_000, sizeClass: .document))
        var png = F.png(width: 200, height: 200)
        png += [UInt8](repeating: 0, count: 500 - png.count)
        #expect(problem("a.png", png, policy: policy) == nil)
        #expect(problem("a.png", png + [0], policy: policy) == .tooLarge(bytes: 501, limit: 500, sizeClass: .image))
        #expect(problem("empty.txt", []) == .empty)
        #expect(UploadPolicy().maxBytes(for: .pdf) == 50 * 1024 * 1024)
        #expect(UploadPolicy().maxBytes(for: .webp) == 20 * 1024 * 1024)
    }

    @Test func preflightRefusesFromContentLengthAlone() throws {
        #expect(try validator.preflight(filename: "a.pdf", byteCount: 50 << 20) == .pdf)
        do {
            _ = try validator.preflight(filename: "a.pdf", byteCount: (50 << 20) + 1, declaredMediaType: "application/pdf")
            Issue.record("oversized upload passed preflight")
        } catch {
            #expect(error.status == 413)
            #expect(error.code == ErrorCatalog.bodyTooLarge)
            #expect(error.suggestion == "Send a file of at most 50 MB, or compress or split it.")
        }
        do {
            _ = try validator.preflight(filename: "a.png", byteCount: (20 << 20) + 1)
            Issue.record("oversized image passed preflight")
        } catch {
            #expect(error.userMessage == "image is 20971521 bytes; the limit is 20971520 bytes")
        }
    }

    @Test func imageDimensionsHaveAMinimumAndAPixelBudget() {
        #expect(problem("tiny.png", F.png(width: 64, height: 64))
            == .imageTooSmall(ImageDimensions(width: 64, height: 64), minimumWidth: 100, minimumHeight: 100))
        #expect(problem("edge.png", F.png(width: 100, height: 100)) == nil)
        #expect(problem("thin.jpg", F.jpeg(width: 5_000, height: 99)) != nil)
        // A 30 KB PNG can declare 100,000 × 100,000: refused before any decoder sees it.
        #expect(problem("bomb.png", F.png(width: 100_000, height: 100_000))
            == .imageTooManyPixels(ImageDimensions(width: 100_000, height: 100_000), limit: 50_000_000))
        #expect(problem("max.webp", F.webpExtended(width: 10_000, height: 5_000)) == nil)
        #expect(problem("over.webp", F.webpExtended(width: 10_000, height: 5_001))
            == .imageTooManyPixels(ImageDimensions(width: 10_000, height: 5_001), limit: 50_000_000))
        #expect(problem("cut.jpg", Array(F.jpeg(width: 500, height: 500).prefix(30))) == .imageHeader(.truncated))
    }

    @Test func pdfMustEndWithItsTrailer() {
        #expect(problem("a.pdf", Array(F.pdf.prefix(40))) == .pdfEndMissing)
        #expect(problem("a.pdf", F.pdf + [UInt8](repeating: 0x0A, count: 1_000)) == nil)
        #expect(problem("a.pdf", F.pdf + [UInt8](repeating: 0x0A, count: 1_025)) == .pdfEndMissing)
        #expect(problem("a.pdf", F.ascii("%PDF-%%EOF")) == nil)
    }

    @Test func hostileFileNamesAreRefused() {
        #expect(problem("../../etc/cron.d/job.txt", F.ascii("x")) == .hostileName(reason: "contains '..' (path traversal)"))
        #expect(problem("/var/www/shell.txt", F.ascii("x")) == .hostileName(reason: "is an absolute path"))
        #expect(problem("a.txt\u{0}.png", F.png(width: 200, height: 200)) == .hostileName(reason: "contains a NUL character"))
        #expect(problem("...", F.ascii("x")) == .hostileName(reason: "contains '..' (path traversal)"))
        #expect(problem("\u{202E}", F.ascii("x")) == .unusableName)
        let renamed = try? validator.validate(filename: "CON.txt", contents: F.ascii("x"))
        #expect(renamed?.filename == "_CON.txt")
        let cleaned = try? validator.validate(filename: "in\u{202E}gnp.txt", contents: F.ascii("x"))
        #expect(cleaned?.filename == "ingnp.txt")
    }

    @Test func textMustBeUTF8WithoutNUL() {
        #expect(problem("a.csv", F.ascii("id,name\n1,a\u{0}b\n")) == .textContainsNUL(offset: 11))
        #expect(problem("a.csv", F.ascii("ok") + [0xC3, 0x28]) == .textNotUTF8(offset: 2))
        #expect(problem("a.txt", [0xC0, 0xAF]) == .textNotUTF8(offset: 0))
        #expect(problem("a.txt", [0xED, 0xA0, 0x80]) == .textNotUTF8(offset: 0))
        #expect(problem("a.txt", [0xF4, 0x90, 0x80, 0x80]) == .textNotUTF8(offset: 0))
        #expect(problem("a.txt", F.ascii("abc") + [0xE2, 0x82]) == .textNotUTF8(offset: 3))
        #expect(problem("a.txt", [0xF0, 0x9F, 0x98, 0x80, 0xE2, 0x82, 0xAC]) == nil)
    }

    @Test func archiveProblemsSurfaceThroughTheValidator() {
        let slip = ZipFixture([Entry("../../evil.sh", F.ascii("x"))]).bytes()
        #expect(problem("a.zip", slip) == .archive(.unsafeName(name: "../../evil.sh", reason: "climbs out of the archive with '..'")))
        let many = ZipFixture((0..<10_001).map { Entry("f\($0)", []) }).bytes()
        #expect(problem("many.zip", many) == .archive(.tooManyEntries(count: 10_001, limit: 10_000)))
        let embedded = ZipFixture(Self.docxParts + [Entry("word/embeddings/chart.xlsx", ZipFixture([Entry("x", [1])]).bytes())]).bytes()
        #expect(problem("report.docx", embedded) == nil)
        #expect(problem("bundle.zip", embedded) == .archive(.nestedArchive(name: "word/embeddings/chart.xlsx")))
    }

    @Test func everyRefusalMapsToTheRightCatalogCode() {
        let cases: [(UploadProblem, ErrorCode)] = [
            (.tooLarge(bytes: 2, limit: 1, sizeClass: .document), ErrorCatalog.bodyTooLarge),
            (.missingExtension, ErrorCatalog.unsupportedMediaType), (.extensionNotAllowed("exe"), ErrorCatalog.unsupportedMediaType),
            (.mediaTypeMismatch(declared: "text/html", kind: .png), ErrorCatalog.unsupportedMediaType),
            (.contentMismatch(kind: .png, detected: "JPEG"), ErrorCatalog.unsupportedMediaType),
            (.hostileName(reason: "x"), ErrorCatalog.validationFailed), (.unusableName, ErrorCatalog.validationFailed),
            (.empty, ErrorCatalog.validationFailed), (.imageHeader(.truncated), ErrorCatalog.validationFailed),
            (.imageTooSmall(ImageDimensions(width: 1, height: 1), minimumWidth: 2, minimumHeight: 2), ErrorCatalog.validationFailed),
            (.imageTooManyPixels(ImageDimensions(width: 9, height: 9), limit: 1), ErrorCatalog.validationFailed),
            (.archive(.zip64), ErrorCatalog.validationFailed), (.textNotUTF8(offset: 0), ErrorCatalog.validationFailed),
            (.textContainsNUL(offset: 0), ErrorCatalog.validationFailed), (.pdfEndMissing, ErrorCatalog.validationFailed),
        ]
        for (problem, code) in cases {
            let error = problem.bulwarkError
            #expect(error.code == code, "\(problem)")
            #expect(error.userMessage == problem.description)
            #expect(!error.suggestion.isEmpty && error.suggestion != code.suggestion, "\(problem) has no specific suggestion")
        }
        #expect(throws: BulwarkError.self) { try validator.validate(filename: "x.exe", contents: [1]) }
    }
}
