/// Why a ZIP container was refused. Each case is something an extractor would otherwise
/// discover too late: after filling the disk, writing outside its directory, or trusting a
/// central directory that disagrees with the data.
public enum ZipProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// No end-of-central-directory record where the format puts it.
    case missingEndRecord
    /// Spanned/multi-disk archives.
    case multiDisk
    /// ZIP64 is only needed past 65,535 entries or 4 GiB, both beyond any upload limit here.
    case zip64
    /// More entries than allowed (counted before any entry is read).
    case tooManyEntries(count: Int, limit: Int)
    /// The central directory holds a different number of entries than the end record says.
    case entryCountMismatch
    /// The central directory lies outside the file or overlaps the end record.
    case centralDirectoryOutOfBounds
    /// An entry's central record or its data runs past where it can be.
    case entryOutOfBounds(name: String)
    /// The local header disagrees with the central directory (name, method or sizes).
    case headerMismatch(name: String)
    /// Two entries claim the same bytes (the trick behind non-recursive zip bombs).
    case overlappingEntries(name: String)
    /// A compression method other than stored or deflate.
    case unsupportedMethod(name: String, method: Int)
    /// Encrypted entries cannot be checked.
    case encrypted(name: String)
    /// A stored entry whose two sizes differ.
    case storedSizeMismatch(name: String)
    /// Two entries with the same name: extractors disagree about which one wins.
    case duplicateName(name: String)
    /// A name that would write outside the extraction directory (zip-slip) or is unusable.
    case unsafeName(name: String, reason: String)
    /// An archive inside the archive.
    case nestedArchive(name: String)
    /// Declared uncompressed total over declared compressed total beyond the limit.
    case compressionRatio(ratio: Int, limit: Int)
    /// Declared uncompressed total beyond the limit.
    case uncompressedTooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .missingEndRecord: "archive has no valid end record (not a ZIP file, or truncated)"
        case .multiDisk: "multi-part archives are not accepted"
        case .zip64: "ZIP64 archives are not accepted"
        case .tooManyEntries(let count, let limit): "archive has \(count) entries; at most \(limit) are accepted"
        case .entryCountMismatch: "archive's central directory does not match its entry count"
        case .centralDirectoryOutOfBounds: "archive's central directory lies outside the file"
        case .entryOutOfBounds(let name): "archive entry '\(name)' runs past the end of its data"
        case .headerMismatch(let name): "archive entry '\(name)' has local and central headers that disagree"
        case .overlappingEntries(let name): "archive entry '\(name)' overlaps another entry"
        case .unsupportedMethod(let name, let method): "archive entry '\(name)' uses unsupported compression method \(method)"
        case .encrypted(let name): "archive entry '\(name)' is encrypted"
        case .storedSizeMismatch(let name): "archive entry '\(name)' is stored but declares two different sizes"
        case .duplicateName(let name): "archive has more than one entry named '\(name)'"
        case .unsafeName(let name, let reason): "archive entry '\(name)' \(reason)"
        case .nestedArchive(let name): "archive contains another archive ('\(name)')"
        case .compressionRatio(let ratio, let limit): "archive expands \(ratio):1, beyond the \(limit):1 limit"
        case .uncompressedTooLarge(let bytes, let limit): "archive expands to \(bytes) bytes, beyond the \(limit)-byte limit"
        }
    }
}

/// Limits for ZIP containers (plain ZIP, DOCX, XLSX).
public struct ArchiveLimits: Sendable, Hashable {
    public var maxEntries: Int
    /// Total declared uncompressed size over total compressed size; deflate tops out near
    /// 1,032:1, ordinary documents sit well under 20:1.
    public var maxCompressionRatio: Int
    /// The ratio is not enforced below this many uncompressed bytes: a small file of zeros
    /// compresses 300:1 and harms no one.
    public var ratioAppliesAbove: Int
    public var maxUncompressedBytes: Int
    /// Office documents embed workbooks and packages under `.../embeddings/`; these are
    /// allowed for DOCX/XLSX even when nested archives are refused.
    public var allowNestedArchives: Bool

    public init(
        maxEntries: Int = 10_000, maxCompressionRatio: Int = 100, ratioAppliesAbove: Int = 1 << 20,
        maxUncompressedBytes: Int = 1 << 30, allowNestedArchives: Bool = false
    ) {
        self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioAppliesAbove = ratioAppliesAbove
        self.maxUncompressedBytes = maxUncompressedBytes
        self.allowNestedArchives = allowNestedArchives
    }
}

/// What an accepted archive declares: enough to decide on it, and for an extractor to hold the
/// data to (an extractor must still stop at each entry's declared size: deflate data can
/// expand past what the directory says).
public struct ZipSummary: Sendable, Hashable {
    /// One entry as the central directory declares it.
    public struct Entry: Sendable, Hashable {
        public let name: String
        public let compressedSize: Int
        public let uncompressedSize: Int
        /// 0 stored, 8 deflate.
        public let method: Int
    }

    public let entries: [Entry]
    public var totalCompressed: Int { entries.reduce(0) { $0 + $1.compressedSize } }
    public var totalUncompressed: Int { entries.reduce(0) { $0 + $1.uncompressedSize } }
}
