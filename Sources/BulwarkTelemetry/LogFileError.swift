/// Why a log file could not be set up. Raised at startup only, so a wrong `logging.file`,
/// `logging.rotate` or `logging.keep` stops the process with a message naming the problem;
/// once running, file errors are counted instead (see ``BufferedLogSink/writeErrors``).
public enum LogFileError: Error, Equatable, CustomStringConvertible {
    case emptyPath
    case maxBytesOutOfRange(Int)
    case keepOutOfRange(Int)
    case cannotCreateDirectory(path: String, reason: String)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .emptyPath:
            "log file path is empty"
        case .maxBytesOutOfRange(let bytes):
            "log file size limit \(bytes) bytes is outside \(RotatingLogFile.maxBytesRange.lowerBound)..."
                + "\(RotatingLogFile.maxBytesRange.upperBound) bytes (1 KB to 100 MB)"
        case .keepOutOfRange(let keep):
            "log file backups \(keep) is outside \(RotatingLogFile.keepRange.lowerBound)...\(RotatingLogFile.keepRange.upperBound)"
        case .cannotCreateDirectory(let path, let reason):
            "cannot create log directory \(path): \(reason)"
        case .cannotOpen(let path, let reason):
            "cannot open log file \(path): \(reason)"
        }
    }
}
