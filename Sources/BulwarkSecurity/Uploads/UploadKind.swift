/// The file types an upload may be, each with the extensions that claim it, the media types
/// browsers send for it, and the container its bytes must be.
public enum UploadKind: String, Sendable, Hashable, CaseIterable {
    case pdf, png, jpeg, gif, webp, zip, docx, xlsx, csv, txt

    /// Which size limit applies.
    public var sizeClass: UploadSizeClass {
        switch self {
        case .png, .jpeg, .gif, .webp: .image
        case .pdf, .zip, .docx, .xlsx, .csv, .txt: .document
        }
    }

    /// Lowercase extensions without the dot.
    public var extensions: [String] {
        switch self {
        case .jpeg: ["jpg", "jpeg"]
        case .txt: ["txt", "text"]
        default: [rawValue]
        }
    }

    /// Media types accepted in a part's `Content-Type` for this kind.
    public var mediaTypes: [String] {
        switch self {
        case .pdf: ["application/pdf"]
        case .png: ["image/png"]
        case .jpeg: ["image/jpeg", "image/jpg", "image/pjpeg"]
        case .gif: ["image/gif"]
        case .webp: ["image/webp"]
        case .zip: ["application/zip", "application/x-zip-compressed"]
        case .docx: ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
        case .xlsx: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
        case .csv: ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"]
        case .txt: ["text/plain"]
        }
    }

    /// What the bytes must start with.
    var container: DetectedFormat {
        switch self {
        case .pdf: .pdf
        case .png: .png
        case .jpeg: .jpeg
        case .gif: .gif
        case .webp: .webp
        case .zip, .docx, .xlsx: .zip
        case .csv, .txt: .text
        }
    }

    /// Parts an Office Open XML container must have to be that kind of document.
    var requiredParts: [String] {
        switch self {
        case .docx: ["[Content_Types].xml", "word/document.xml"]
        case .xlsx: ["[Content_Types].xml", "xl/workbook.xml"]
        default: []
        }
    }

    /// The kind an extension claims, if any.
    public static func forExtension(_ ext: String) -> UploadKind? {
        let lowered = ext.lowercased()
        return allCases.first { $0.extensions.contains(lowered) }
    }
}

/// Size classes, because a reasonable limit for a scanned PDF is not one for a photo.
public enum UploadSizeClass: String, Sendable, Hashable {
    case document
    case image
}
