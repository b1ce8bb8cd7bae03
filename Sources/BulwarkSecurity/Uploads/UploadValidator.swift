import BulwarkCore

/// An upload that passed every check.
public struct AcceptedUpload: Sendable, Hashable {
    public let kind: UploadKind
    /// The sanitized name, safe to use on disk.
    public let filename: String
    public let byteCount: Int
    /// For images: the size the header declares.
    public let dimensions: ImageDimensions?
    /// For ZIP containers: what the directory declares.
    public let archive: ZipSummary?
}

/// Decides whether an uploaded file is what it claims and safe to keep, from its name and
/// bytes, without decoding or decompressing it.
///
/// The checks run cheapest first: the name (traversal refused, then sanitized), the extension
/// against the allow-list, the declared media type, the size limit for the kind's class, the
/// leading bytes against the extension (a `.png` must BE a PNG), then what the type needs:
/// image dimensions from the header, the ZIP directory, or UTF-8 text. A caller holding only
/// `Content-Length` can run ``preflight(filename:byteCount:declaredMediaType:)`` before
/// reading the body at all.
public struct UploadValidator: Sendable {
    public let policy: UploadPolicy

    public init(policy: UploadPolicy = UploadPolicy()) {
        self.policy = policy
    }

    /// Validates an upload, throwing the refusal as a ``BulwarkError`` (413, 415 or 422).
    public func validate<Bytes: Collection<UInt8>>(
        filename: String, contents: Bytes, declaredMediaType: String? = nil
    ) throws(BulwarkError) -> AcceptedUpload {
        try inspect(filename: filename, contents: contents, declaredMediaType: declaredMediaType).mapError(\.bulwarkError).get()
    }

    /// Validates an upload, returning the refusal as a value to match on.
    public func inspect<Bytes: Collection<UInt8>>(
        filename: String, contents: Bytes, declaredMediaType: String? = nil
    ) -> Result<AcceptedUpload, UploadProblem> {
        let claim: (kind: UploadKind, name: String)
        switch preflightResult(filename: filename, byteCount: contents.count, declaredMediaType: declaredMediaType) {
        case .success(let value): claim = value
        case .failure(let problem): return .failure(problem)
        }
        return contents.withBoundedReader { reader in
            checkContent(reader, kind: claim.kind).map { details in
                AcceptedUpload(
                    kind: claim.kind, filename: claim.name, byteCount: reader.count, dimensions: details.dimensions, archive: details.archive)
            }
        }
    }

    /// The checks that need no content: name, extension, media type, declared size. Returns
    /// the kind the upload claims to be.
    public func preflight(filename: String, byteCount: Int, declaredMediaType: String? = nil) throws(BulwarkError) -> UploadKind {
        try preflightResult(filename: filename, byteCount: byteCount, declaredMediaType: declaredMediaType).map(\.kind).mapError(\.bulwarkError).get()
    }

    func preflightResult(filename: String, byteCount: Int, declaredMediaType: String?) -> Result<(kind: UploadKind, name: String), UploadProblem> {
        if let reason = FilenameSanitizer.hostility(of: filename) { return .failure(.hostileName(reason: reason)) }
        guard let name = try? policy.filenames.sanitize(filename) else { return .failure(.unusableName) }
        guard let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex else { return .failure(.missingExtension) }
        let ext = String(name[name.index(after: dot)...]).lowercased()
        guard let kind = UploadKind.forExtension(ext), policy.allowedKinds.contains(kind) else {
            return .failure(.extensionNotAllowed(ext))
        }
        if let declaredMediaType {
            let essence = declaredMediaType.split(separator: ";", maxSplits: 1).first.map { String($0) } ?? ""
            let normalized = TextSanitizer.trimmed(essence).lowercased()
            // Browsers send application/octet-stream for types they do not know.
            if normalized != "application/octet-stream" && !kind.mediaTypes.contains(normalized) {
                return .failure(.mediaTypeMismatch(declared: normalized, kind: kind))
            }
        }
        let limit = policy.maxBytes(for: kind)
        if byteCount > limit { return .failure(.tooLarge(bytes: byteCount, limit: limit, sizeClass: kind.sizeClass)) }
        if byteCount == 0 { return .failure(.empty) }
        return .success((kind, name))
    }

    private func checkContent(_ reader: BoundedReader, kind: UploadKind) -> Result<(dimensions: ImageDimensions?, archive: ZipSummary?), UploadProblem> {
        let detected = MagicBytes.detect(reader)
        guard detected == kind.container else {
            return .failure(.contentMismatch(kind: kind, detected: detected.displayName))
        }
        switch kind {
        case .png, .jpeg, .gif, .webp:
            return checkImage(reader, kind: kind).map { ($0, nil) }
        case .zip, .docx, .xlsx:
            switch ZipInspector(limits: policy.archives).inspect(reader, allowingEmbeddings: kind != .zip) {
            case .failure(let problem):
                return .failure(.archive(problem))
            case .success(let summary):
                let names = Set(summary.entries.map(\.name))
                if let missing = kind.requiredParts.first(where: { !names.contains($0) }) {
                    return .failure(.contentMismatch(kind: kind, detected: "a ZIP archive without \(missing)"))
                }
                return .success((nil, summary))
            }
        case .csv, .txt:
            switch TextContentCheck.problem(reader) {
            case .nul(let offset)?: return .failure(.textContainsNUL(offset: offset))
            case .invalidUTF8(let offset)?: return .failure(.textNotUTF8(offset: offset))
            case nil: return .success((nil, nil))
            }
        case .pdf:
            // Readers look for the trailer's %%EOF within the last 1,024 bytes; so do we.
            let marker = Array("%%EOF".utf8)
            let earliest = max(0, reader.count - 1_024)
            let found = stride(from: reader.count - marker.count, through: earliest, by: -1).contains { reader.matches(marker, at: $0) }
            return found ? .success((nil, nil)) : .failure(.pdfEndMissing)
        }
    }

    private func checkImage(_ reader: BoundedReader, kind: UploadKind) -> Result<ImageDimensions, UploadProblem> {
        let header: Result<ImageDimensions, ImageHeaderProblem>
        switch kind {
        case .png: header = ImageHeaderReader.png(reader)
        case .gif: header = ImageHeaderReader.gif(reader)
        case .webp: header = ImageHeaderReader.webp(reader)
        default: header = JPEGHeaderReader.dimensions(reader)
        }
        return header.mapError(UploadProblem.imageHeader).flatMap { size in
            if size.width < policy.minImageWidth || size.height < policy.minImageHeight {
                return .failure(.imageTooSmall(size, minimumWidth: policy.minImageWidth, minimumHeight: policy.minImageHeight))
            }
            if size.pixelCount > policy.maxImagePixels {
                return .failure(.imageTooManyPixels(size, limit: policy.maxImagePixels))
            }
            return .success(size)
        }
    }
}

/// Public entry point to the header readers, for callers that only need an image's size.
public enum ImageHeaders {
    /// The dimensions declared by a PNG, JPEG, GIF or WebP header, chosen by signature.
    public static func dimensions<Bytes: Collection<UInt8>>(of bytes: Bytes) -> Result<ImageDimensions, ImageHeaderProblem> {
        bytes.withBoundedReader(read)
    }

    static func read(_ reader: BoundedReader) -> Result<ImageDimensions, ImageHeaderProblem> {
        switch MagicBytes.detect(reader) {
        case .png: ImageHeaderReader.png(reader)
        case .jpeg: JPEGHeaderReader.dimensions(reader)
        case .gif: ImageHeaderReader.gif(reader)
        case .webp: ImageHeaderReader.webp(reader)
        default: .failure(.malformed("not a PNG, JPEG, GIF or WebP file"))
        }
    }
}

#if BULWARK_STEP_COUNT
extension ImageHeaders {
    /// Debug-only: reads dimensions and returns the number of bytes read, for fuzz tests.
    static func dimensionsCountingSteps(_ bytes: [UInt8]) -> (Result<ImageDimensions, ImageHeaderProblem>, Int) {
        let meter = StepMeter()
        let result = bytes.withBoundedReader(meter: meter, read)
        return (result, meter.steps)
    }
}
#endif
