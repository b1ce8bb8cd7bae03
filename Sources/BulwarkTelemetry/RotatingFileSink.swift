import Metrics

/// JSON (or text) lines into a size-rotated file (`logging.file`, `logging.rotate`,
/// `logging.keep`), with the request path never waiting on the disk: lines go through a
/// ``BufferedLogSink`` whose background writer feeds a ``RotatingLogFile``. A full buffer drops
/// and counts lines; file errors (disk full, directory removed) are counted and retried, never
/// fatal. Call ``close()`` on shutdown so the last lines reach the file.
public final class RotatingFileSink: LogSink {
    /// The file being written, for its path and limits.
    public let file: RotatingLogFile
    private let buffered: BufferedLogSink

    /// Opens `path` (creating its directory) and starts the background writer; throws a
    /// ``LogFileError`` naming the problem when the limits are out of range or the file cannot
    /// be opened.
    /// - Parameters:
    ///   - maxBytes: size at which the file rotates, 1 KB to 100 MB.
    ///   - keep: rotated files kept besides the live one, 1 to 10.
    ///   - capacity, batchBytes, interval, dropWarningInterval, dropWarning, metrics, clock: as
    ///     for ``BufferedLogSink``.
    public init<C: Clock>(
        path: String,
        maxBytes: Int = RotatingLogFile.defaultMaxBytes,
        keep: Int = RotatingLogFile.defaultKeep,
        permissions: LogFilePermissions = .ownerOnly,
        capacity: Int = 8 << 20,
        batchBytes: Int = 64 << 10,
        interval: Duration = .milliseconds(50),
        dropWarningInterval: Duration = .seconds(10),
        dropWarning: DroppedLinesWarning = .json,
        metrics: (any MetricsFactory)? = nil,
        clock: C = ContinuousClock()
    ) throws(LogFileError) where C.Duration == Duration {
        file = try RotatingLogFile(path: path, maxBytes: maxBytes, keep: keep, permissions: permissions)
        buffered = BufferedLogSink(
            destination: file, capacity: capacity, batchBytes: batchBytes, interval: interval,
            dropWarningInterval: dropWarningInterval, dropWarning: dropWarning, metrics: metrics, clock: clock)
    }

    /// Lines dropped because the buffer was full (or the sink was closed).
    public var droppedLines: Int { buffered.droppedLines }

    /// Failed writes, opens and renames so far.
    public var writeErrors: Int { buffered.writeErrors }

    public func write(line: String) {
        buffered.write(line: line)
    }

    public func write(bytes: UnsafeRawBufferPointer) {
        buffered.write(bytes: bytes)
    }

    /// Writes everything buffered so far, on the caller's thread.
    public func flush() {
        buffered.flush()
    }

    /// Flushes, closes the file and stops the writer; later lines are dropped.
    public func close() {
        buffered.close()
    }
}
