/// What a route accepts as an upload. Defaults are the reference limits: 50 MB documents,
/// 20 MB images, images at least 100×100 and at most 50 megapixels, archives at most 10,000
/// entries and 100:1 expansion.
public struct UploadPolicy: Sendable, Hashable {
    public var allowedKinds: Set<UploadKind>
    public var maxDocumentBytes: Int
    public var maxImageBytes: Int
    public var minImageWidth: Int
    public var minImageHeight: Int
    /// A decoder allocates width × height × 4 bytes or so: 50 MP is 200 MB per frame. The
    /// guard against small files that decode into huge bitmaps.
    public var maxImagePixels: Int
    public var archives: ArchiveLimits
    public var filenames: FilenameSanitizer

    public init(
        allowedKinds: Set<UploadKind> = Set(UploadKind.allCases),
        maxDocumentBytes: Int = 50 << 20,
        maxImageBytes: Int = 20 << 20,
        minImageWidth: Int = 100,
        minImageHeight: Int = 100,
        maxImagePixels: Int = 50_000_000,
        archives: ArchiveLimits = ArchiveLimits(),
        filenames: FilenameSanitizer = FilenameSanitizer()
    ) {
        self.allowedKinds = allowedKinds
        self.maxDocumentBytes = maxDocumentBytes
        self.maxImageBytes = maxImageBytes
        self.minImageWidth = minImageWidth
        self.minImageHeight = minImageHeight
        self.maxImagePixels = maxImagePixels
        self.archives = archives
        self.filenames = filenames
    }

    /// The byte limit for a kind's size class.
    public func maxBytes(for kind: UploadKind) -> Int {
        kind.sizeClass == .image ? maxImageBytes : maxDocumentBytes
    }
}
