import BulwarkCore

/// Why an upload was refused. Tests and callers match on the case; clients get
/// ``bulwarkError``: 413 when the file is too big, 415 when it is not a type the route takes
/// (or its bytes are not the type its name claims), 422 when its content is refused.
public enum UploadProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case hostileName(reason: String)
    case unusableName
    case missingExtension
    case extensionNotAllowed(String)
    case mediaTypeMismatch(declared: String, kind: UploadKind)
    case empty
    case tooLarge(bytes: Int, limit: Int, sizeClass: UploadSizeClass)
    /// The bytes are not what the extension claims (`detected` names what they look like).
    case contentMismatch(kind: UploadKind, detected: String)
    case imageHeader(ImageHeaderProblem)
    case imageTooSmall(ImageDimensions, minimumWidth: Int, minimumHeight: Int)
    case imageTooManyPixels(ImageDimensions, limit: Int)
    case archive(ZipProblem)
    case textNotUTF8(offset: Int)
    case textContainsNUL(offset: Int)
    /// A PDF without `%%EOF` in its last 1,024 bytes: almost always an upload cut short.
    case pdfEndMissing

    public var description: String {
        switch self {
        case .hostileName(let reason): "file name \(reason)"
        case .unusableName: "file name is empty once unsafe characters are removed"
        case .missingExtension: "file name has no extension"
        case .extensionNotAllowed(let ext): "files of type '.\(FieldProblem.shortened(ext, to: 16))' are not accepted"
        case .mediaTypeMismatch(let declared, let kind):
            "declared type '\(FieldProblem.shortened(declared, to: 64))' does not match a .\(kind.extensions[0]) file"
        case .empty: "file is empty"
        case .tooLarge(let bytes, let limit, let sizeClass): "\(sizeClass.rawValue) is \(bytes) bytes; the limit is \(limit) bytes"
        case .contentMismatch(let kind, let detected): "file is named .\(kind.extensions[0]) but its content is \(detected)"
        case .imageHeader(let problem): problem.description
        case .imageTooSmall(let size, let width, let height): "image is too small (\(size)); the minimum is \(width)×\(height) pixels"
        case .imageTooManyPixels(let size, let limit): "image is too large (\(size) = \(size.pixelCount) pixels); the limit is \(limit) pixels"
        case .archive(let problem): problem.description
        case .textNotUTF8(let offset): "text is not valid UTF-8 (byte \(offset))"
        case .textContainsNUL(let offset): "text contains a NUL byte (byte \(offset))"
        case .pdfEndMissing: "PDF has no end-of-file marker (the upload may be incomplete)"
        }
    }

    public var bulwarkError: BulwarkError {
        switch self {
        case .tooLarge(_, let limit, _):
            return BulwarkError(
                ErrorCatalog.bodyTooLarge, description,
                suggestion: "Send a file of at most \(limit / (1 << 20)) MB, or compress or split it.")
        case .missingExtension, .extensionNotAllowed, .mediaTypeMismatch, .contentMismatch:
            return BulwarkError(
                ErrorCatalog.unsupportedMediaType, description,
                suggestion: "Send one of the accepted file types, named with its real extension and matching Content-Type.")
        case .hostileName, .unusableName:
            return BulwarkError(
                ErrorCatalog.validationFailed, description,
                suggestion: "Send the file with a plain name such as report.pdf, without folders.")
        case .imageTooSmall, .imageTooManyPixels:
            return BulwarkError(
                ErrorCatalog.validationFailed, description,
                suggestion: "Resize the image to within the accepted dimensions and upload it again.")
        case .archive:
            return BulwarkError(
                ErrorCatalog.validationFailed, description,
                suggestion: "Re-create the archive with a standard tool, without nested archives or paths outside its root.")
        case .empty, .imageHeader, .textNotUTF8, .textContainsNUL, .pdfEndMissing:
            return BulwarkError(
                ErrorCatalog.validationFailed, description,
                suggestion: "The file looks damaged or mislabelled; export it again and upload the new copy.")
        }
    }
}
