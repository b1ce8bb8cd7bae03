import Foundation

/// A throwaway directory standing in for `/`, holding fake `proc/` and `sys/` files.
struct FixtureTree: ~Copyable {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulwark-fixture-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes `contents` at `relative`, creating directories on the way.
    func write(_ relative: String, _ contents: String) throws {
        try write(relative, Data(contents.utf8))
    }

    func write(_ relative: String, _ contents: Data) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url)
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(
            atPath: root + "/" + relative, withIntermediateDirectories: true)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: root + "/" + relative)
    }
}

let mebibyte: UInt64 = 1 << 20

/// A `/proc/meminfo` with the given figures in MiB.
func meminfo(totalMiB: UInt64, availableMiB: UInt64?, freeMiB: UInt64 = 100) -> String {
    var text = "MemTotal:       \(totalMiB * 1024) kB\nMemFree:        \(freeMiB * 1024) kB\n"
    if let availableMiB { text += "MemAvailable:   \(availableMiB * 1024) kB\n" }
    text += "Buffers:           2048 kB\nCached:          \(10 * 1024) kB\nSwapTotal:             0 kB\n"
    return text
}

/// A `/proc/self/stat` line whose fields 14, 15, 22 and 23 are the given values; the command
/// name has spaces and parentheses, as real ones may.
func procStat(userTicks: UInt64, systemTicks: UInt64, startTicks: UInt64 = 12_345, virtualBytes: UInt64 = 104_857_600) -> String {
    var fields = [String](repeating: "0", count: 52 - 2)  // fields 3...52
    fields[0] = "S"
    fields[14 - 3] = String(userTicks)
    fields[15 - 3] = String(systemTicks)
    fields[22 - 3] = String(startTicks)
    fields[23 - 3] = String(virtualBytes)
    return "4242 (bul (wark) d) " + fields.joined(separator: " ") + "\n"
}
