#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads small kernel text files below a root directory, so tests can point every reader at a
/// fixture tree instead of the real `/proc` and `/sys`.
struct SystemFiles: Sendable {
    /// procfs and cgroupfs files are a few KB; anything far larger is not what we think it is.
    static let maxBytes = 1 << 20

    let root: String

    init(root: String) {
        var trimmed = root
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed.isEmpty ? "/" : trimmed
    }

    /// `relative` below the root (`proc/self/stat`).
    func path(_ relative: String) -> String {
        root == "/" ? "/" + relative : root + "/" + relative
    }

    func exists(_ relative: String) -> Bool {
        access(path(relative), F_OK) == 0
    }

    func read(_ relative: String) throws(ResourceReadError) -> KernelFile {
        let fullPath = path(relative)
        let descriptor = open(fullPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ResourceReadError(path: fullPath, reason: Self.errorText(errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        // Kernel files report size 0, so read until EOF; the byte cap bounds the loop.
        while bytes.count <= Self.maxBytes {
            let previous = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: 4096))
            let count = bytes.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress.map { $0 + previous }, 4096) }
            bytes.removeLast(4096 - max(count, 0))
            if count == 0 { return KernelFile(path: fullPath, bytes: bytes) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ResourceReadError(path: fullPath, reason: Self.errorText(errno))
            }
        }
        throw ResourceReadError(path: fullPath, reason: "larger than \(Self.maxBytes) bytes")
    }

    /// Entries in a directory other than `.` and `..` (open descriptors in `proc/self/fd`).
    func countEntries(_ relative: String, limit: Int = 1 << 24) throws(ResourceReadError) -> Int {
        let fullPath = path(relative)
        guard let directory = opendir(fullPath) else {
            throw ResourceReadError(path: fullPath, reason: Self.errorText(errno))
        }
        defer { closedir(directory) }
        var count = 0
        while count < limit, let entry = readdir(directory) {
            let isDotEntry = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name.first == UInt8(ascii: ".")
                    && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDotEntry { count += 1 }
        }
        return count
    }

    static func errorText(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}

/// `read(2)`, named apart from `SystemFiles.read(_:)`, which would shadow it inside the type.
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
