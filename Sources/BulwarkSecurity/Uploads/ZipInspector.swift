/// Reads a ZIP archive's structure from its central directory and local headers, without
/// decompressing anything, and refuses archives that are bombs, lie about themselves, or would
/// write outside the extraction directory.
///
/// The entry count is checked against the limit before any entry is read; every offset and
/// size is checked against the file and against the other entries; reads go through
/// ``BoundedReader``. Work is linear in the size of the central directory.
public struct ZipInspector: Sendable {
    public let limits: ArchiveLimits

    public init(limits: ArchiveLimits = ArchiveLimits()) {
        self.limits = limits
    }

    /// Inspects an archive held in memory.
    public func inspect<Bytes: Collection<UInt8>>(_ bytes: Bytes, allowingEmbeddings: Bool = false) -> Result<ZipSummary, ZipProblem> {
        bytes.withBoundedReader { inspect($0, allowingEmbeddings: allowingEmbeddings) }
    }

    static let endSignature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    static let centralSignature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    static let zip64LocatorSignature: [UInt8] = [0x50, 0x4B, 0x06, 0x07]

    private struct Span {
        var start: Int
        var end: Int
        var name: String
    }

    func inspect(_ reader: BoundedReader, allowingEmbeddings: Bool) -> Result<ZipSummary, ZipProblem> {
        guard let end = Self.findEndRecord(reader) else { return .failure(.missingEndRecord) }
        guard let disk = reader.u16le(end + 4), let centralDisk = reader.u16le(end + 6),
            let entriesHere = reader.u16le(end + 8), let entryCount = reader.u16le(end + 10),
            let directorySize = reader.u32le(end + 12), let directoryOffset = reader.u32le(end + 16)
        else { return .failure(.missingEndRecord) }
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
            || reader.matches(Self.zip64LocatorSignature, at: end - 20)
        {
            return .failure(.zip64)
        }
        guard disk == 0, centralDisk == 0, entriesHere == entryCount else { return .failure(.multiDisk) }
        guard entryCount <= limits.maxEntries else { return .failure(.tooManyEntries(count: entryCount, limit: limits.maxEntries)) }
        let directoryEnd = directoryOffset + directorySize
        guard directoryEnd <= end else { return .failure(.centralDirectoryOutOfBounds) }

        var entries: [ZipSummary.Entry] = []
        entries.reserveCapacity(entryCount)
        var spans: [Span] = []
        spans.reserveCapacity(entryCount)
        var names = Set<String>()
        var position = directoryOffset
        var totalUncompressed = 0
        for _ in 0..<entryCount {
            guard position + 46 <= directoryEnd, reader.matches(Self.centralSignature, at: position) else {
                return .failure(.entryCountMismatch)
            }
            guard let flags = reader.u16le(position + 8), let method = reader.u16le(position + 10),
                let compressed = reader.u32le(position + 20), let uncompressed = reader.u32le(position + 24),
                let nameLength = reader.u16le(position + 28), let extraLength = reader.u16le(position + 30),
                let commentLength = reader.u16le(position + 32), let localOffset = reader.u32le(position + 42)
            else { return .failure(.entryCountMismatch) }
            let recordEnd = position + 46 + nameLength + extraLength + commentLength
            guard recordEnd <= directoryEnd, let nameBytes = reader.slice((position + 46)..<(position + 46 + nameLength)) else {
                return .failure(.centralDirectoryOutOfBounds)
            }
            let name = ZipEntryName.display(nameBytes)
            let fullName = String(decoding: nameBytes, as: UTF8.self)
            if let reason = ZipEntryName.problem(nameBytes) { return .failure(.unsafeName(name: name, reason: reason)) }
            guard names.insert(fullName).inserted else { return .failure(.duplicateName(name: name)) }
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF { return .failure(.zip64) }
            if flags & 1 != 0 { return .failure(.encrypted(name: name)) }
            guard method == 0 || method == 8 else { return .failure(.unsupportedMethod(name: name, method: method)) }
            if method == 0 && compressed != uncompressed { return .failure(.storedSizeMismatch(name: name)) }

            let span: Span
            switch Self.checkLocalHeader(reader, at: localOffset, central: (flags, method, compressed, uncompressed), name: nameBytes, limit: directoryOffset) {
            case .success(let dataStart):
                span = Span(start: localOffset, end: dataStart + compressed, name: name)
                let nested = ZipEntryName.looksLikeArchive(fullName)
                    || (method == 0 && compressed >= 4 && MagicBytes.isArchive(reader, at: dataStart))
                if nested && !limits.allowNestedArchives && !(allowingEmbeddings && fullName.contains("/embeddings/")) {
                    return .failure(.nestedArchive(name: name))
                }
            case .failure(let problem):
                return .failure(problem)
            }
            spans.append(span)
            totalUncompressed += uncompressed
            if totalUncompressed > limits.maxUncompressedBytes {
                return .failure(.uncompressedTooLarge(bytes: totalUncompressed, limit: limits.maxUncompressedBytes))
            }
            entries.append(ZipSummary.Entry(name: name, compressedSize: compressed, uncompressedSize: uncompressed, method: method))
            position = recordEnd
        }
        guard position == directoryEnd else { return .failure(.entryCountMismatch) }
        if let overlap = Self.firstOverlap(&spans) { return .failure(.overlappingEntries(name: overlap)) }
        let summary = ZipSummary(entries: entries)
        if let problem = ratioProblem(compressed: summary.totalCompressed, uncompressed: totalUncompressed) { return .failure(problem) }
        return .success(summary)
    }

    /// The end record is the last 22 bytes plus a comment of up to 65,535 bytes; only a
    /// signature whose comment length reaches exactly the end of the file counts, so a
    /// signature-like sequence inside the comment cannot be mistaken for it.
    static func findEndRecord(_ reader: BoundedReader) -> Int? {
        guard reader.count >= 22 else { return nil }
        let lowest = max(0, reader.count - 22 - 0xFFFF)
        var candidate = reader.count - 22
        while candidate >= lowest {
            if reader.matches(endSignature, at: candidate), let commentLength = reader.u16le(candidate + 20),
                candidate + 22 + commentLength == reader.count
            {
                return candidate
            }
            candidate -= 1
        }
        return nil
    }

    /// The local header must exist where the directory says, carry the same name (and, unless
    /// sizes follow in a data descriptor, the same method and sizes), and its data must end
    /// before the central directory starts. Returns where the entry's data starts.
    private static func checkLocalHeader(
        _ reader: BoundedReader, at offset: Int, central: (flags: Int, method: Int, compressed: Int, uncompressed: Int),
        name: UnsafeBufferPointer<UInt8>, limit: Int
    ) -> Result<Int, ZipProblem> {
        let display = ZipEntryName.display(name)
        guard offset + 30 <= limit, reader.matches(MagicBytes.zipLocal, at: offset),
            let method = reader.u16le(offset + 8), let compressed = reader.u32le(offset + 18),
            let uncompressed = reader.u32le(offset + 22), let nameLength = reader.u16le(offset + 26),
            let extraLength = reader.u16le(offset + 28)
        else { return .failure(.entryOutOfBounds(name: display)) }
        let dataStart = offset + 30 + nameLength + extraLength
        guard dataStart + central.compressed <= limit, let localName = reader.slice((offset + 30)..<(offset + 30 + nameLength)) else {
            return .failure(.entryOutOfBounds(name: display))
        }
        guard localName.elementsEqual(name), method == central.method else { return .failure(.headerMismatch(name: display)) }
        let sizesDeferred = central.flags & 0x08 != 0
        if !sizesDeferred && (compressed != central.compressed || uncompressed != central.uncompressed) {
            return .failure(.headerMismatch(name: display))
        }
        return .success(dataStart)
    }

    private static func firstOverlap(_ spans: inout [Span]) -> String? {
        spans.sort { $0.start < $1.start }
        for index in spans.indices.dropFirst() where spans[index].start < spans[index - 1].end {
            return spans[index].name
        }
        return nil
    }

    private func ratioProblem(compressed: Int, uncompressed: Int) -> ZipProblem? {
        guard uncompressed > limits.ratioAppliesAbove else { return nil }
        guard uncompressed > compressed * limits.maxCompressionRatio else { return nil }
        return .compressionRatio(ratio: uncompressed / max(compressed, 1), limit: limits.maxCompressionRatio)
    }
}

#if BULWARK_STEP_COUNT
extension ZipInspector {
    /// Debug-only: inspects and returns the number of bytes read, for fuzz tests.
    func inspectCountingSteps(_ bytes: [UInt8]) -> (Result<ZipSummary, ZipProblem>, Int) {
        let meter = StepMeter()
        let result = bytes.withBoundedReader(meter: meter) { inspect($0, allowingEmbeddings: false) }
        return (result, meter.steps)
    }
}
#endif
