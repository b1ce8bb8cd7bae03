#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A log file that rotates by size so logs never fill the disk: when the next line would take
/// `path` past `maxBytes`, it becomes `path.1`, `path.1` becomes `path.2`, … and `path.keep` (the
/// oldest) is deleted. Rotation happens between lines, never inside one, so every file holds whole
/// lines; a single line longer than `maxBytes` gets a file of its own.
///
/// Used as the destination of a ``BufferedLogSink`` (see ``RotatingFileSink``), which calls it from
/// one thread; its lock only guards against a flush racing the background writer.
public final class RotatingLogFile: LogDestination {
    /// 10 MB, the reference default.
    public static let defaultMaxBytes = 10 << 20
    /// Backups kept besides the live file, the reference default.
    public static let defaultKeep = 5
    /// What configuration may ask for: up to 100 MB per file.
    public static let maxBytesRange = (1 << 10)...(100 << 20)
    /// What configuration may ask for: up to 10 backups.
    public static let keepRange = 1...10

    public let path: String
    public let maxBytes: Int
    public let keep: Int
    public let permissions: LogFilePermissions

    private struct Handle {
        var fd: Int32 = -1
        /// Bytes in the live file, so rotation needs no `stat` per batch.
        var size = 0
        var closed = false
    }

    private let handle = Mutex(Handle())

    /// Creates the parent directory if needed and opens (appends to) `path`.
    public init(
        path: String, maxBytes: Int = defaultMaxBytes, keep: Int = defaultKeep, permissions: LogFilePermissions = .ownerOnly
    ) throws(LogFileError) {
        guard !path.isEmpty, !path.hasSuffix("/") else { throw .emptyPath }
        guard Self.maxBytesRange.contains(maxBytes) else { throw .maxBytesOutOfRange(maxBytes) }
        guard Self.keepRange.contains(keep) else { throw .keepOutOfRange(keep) }
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
        self.permissions = permissions
        let directory = Self.parentDirectory(of: path)
        let mkdirError = Self.makeDirectories(directory, mode: permissions.directoryMode)
        guard mkdirError == 0 else { throw .cannotCreateDirectory(path: directory, reason: Self.reason(mkdirError)) }
        let openError = handle.withLock { openLiveFile(&$0) }
        guard openError == 0 else { throw .cannotOpen(path: path, reason: Self.reason(openError)) }
    }

    deinit {
        close()
    }

    /// Path of backup `index` (1 is the newest).
    public func backupPath(_ index: Int) -> String {
        path + "." + String(index)
    }

    public func write(lines: UnsafeRawBufferPointer) -> Int {
        handle.withLock { file -> Int in
            guard !file.closed else { return 0 }
            var errors = 0
            if file.fd >= 0 && Self.wasDeleted(file.fd) {
                // Someone removed the file (or its directory): lines written now would vanish.
                errors += 1
                Glibc.close(file.fd)
                file.fd = -1
            }
            var offset = 0
            var justRotated = false
            // Each pass writes at least one line or rotates, and the pass after a rotation always
            // writes one (even when a failed rename left the file full), so this ends within twice
            // the number of lines.
            while offset < lines.count {
                if file.fd < 0 {
                    guard reopen(&file) == 0 else { return errors + 1 }
                }
                let end = chunkEnd(
                    lines, from: offset, room: maxBytes - file.size, takeOneLineAnyway: file.size == 0 || justRotated)
                if end == offset {
                    errors += rotate(&file)
                    justRotated = true
                    continue
                }
                justRotated = false
                let chunk = UnsafeRawBufferPointer(rebasing: lines[offset..<end])
                let (written, failure) = FileDescriptorWriter.writeAll(file.fd, chunk)
                if failure != 0 {
                    // Disk full or I/O error: cut the file back to its last whole line so later
                    // lines are not glued to a torn one, and drop the rest of this batch.
                    let kept = Self.wholeLinePrefix(UnsafeRawBufferPointer(rebasing: chunk[0..<written]))
                    if kept < written { _ = ftruncate(file.fd, off_t(file.size + kept)) }
                    file.size += kept
                    return errors + 1
                }
                file.size += written
                offset = end
            }
            return errors
        }
    }

    public func close() {
        handle.withLock { file in
            if file.fd >= 0 { Glibc.close(file.fd) }
            file.fd = -1
            file.closed = true
        }
    }

    /// End (exclusive) of the longest run of whole lines from `offset` that fits in `room` bytes.
    /// When not even one line fits: `offset` (rotate first), or with `takeOneLineAnyway` (the file
    /// is empty, so rotating would not help) the end of the first line.
    private func chunkEnd(_ lines: UnsafeRawBufferPointer, from offset: Int, room: Int, takeOneLineAnyway: Bool) -> Int {
        if lines.count - offset <= room { return lines.count }
        var index = offset + max(room, 0) - 1
        while index >= offset {
            if lines[index] == 10 { return index + 1 }
            index -= 1
        }
        guard takeOneLineAnyway else { return offset }
        // A line longer than a whole file goes alone into the empty file, unsplit.
        index = offset
        while index < lines.count {
            if lines[index] == 10 { return index + 1 }
            index += 1
        }
        return lines.count
    }

    /// Shifts the backups and starts a new live file; returns the number of failed steps.
    private func rotate(_ handle: inout Handle) -> Int {
        Glibc.close(handle.fd)
        handle.fd = -1
        handle.size = 0
        var errors = 0
        // rename(2) replaces the target, so moving .keep-1 onto .keep deletes the oldest.
        for index in stride(from: keep - 1, through: 1, by: -1) {
            if rename(backupPath(index), backupPath(index + 1)) != 0 && errno != ENOENT { errors += 1 }
        }
        if rename(path, backupPath(1)) != 0 { errors += 1 }
        if reopen(&handle) != 0 { errors += 1 }
        return errors
    }

    /// Opens the live file again, recreating its directory if it was removed; returns `errno`.
    private func reopen(_ handle: inout Handle) -> Int32 {
        let mkdirError = Self.makeDirectories(Self.parentDirectory(of: path), mode: permissions.directoryMode)
        guard mkdirError == 0 else { return mkdirError }
        return openLiveFile(&handle)
    }

    private func openLiveFile(_ handle: inout Handle) -> Int32 {
        let mode = permissions.fileMode
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode)
        guard fd >= 0 else { return errno }
        // The umask may have narrowed the mode, and an existing file may have been wider.
        _ = fchmod(fd, mode)
        var info = stat()
        handle.size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        handle.fd = fd
        return 0
    }

    private static func wasDeleted(_ fd: Int32) -> Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && info.st_nlink == 0
    }

    /// Length of the prefix that ends in a newline (0 when there is none).
    private static func wholeLinePrefix(_ bytes: UnsafeRawBufferPointer) -> Int {
        var index = bytes.count - 1
        while index >= 0 {
            if bytes[index] == 10 { return index + 1 }
            index -= 1
        }
        return 0
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `mkdir -p`; returns `errno` of the first failure, 0 when the directory exists.
    static func makeDirectories(_ directory: String, mode: mode_t) -> Int32 {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode) != 0 && errno != EEXIST { return errno }
            prefix += "/"
        }
        return 0
    }

    static func reason(_ errorNumber: Int32) -> String {
        String(cString: strerror(errorNumber))
    }
}
