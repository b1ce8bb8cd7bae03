/// One CSV record: its fields and the physical line (1-based) on which it starts.
struct SampleCSVRecord: Sendable, Equatable {
    var fields: [String]
    var line: Int
}

/// Why CSV text could not be split into records at all.
enum SampleCSVSyntaxError: Error, Sendable, Equatable {
    /// A quoted field opened on `line` never closed.
    case unterminatedQuote(line: Int)
    /// A `"` inside an unquoted field, or text right after a closing quote, on `line`.
    case strayQuote(line: Int)
    /// More than the allowed number of records.
    case tooManyRecords(limit: Int)
}

/// RFC 4180 reader over UTF-8 bytes.
///
/// Fields are separated by `,`, records by CRLF, LF or a lone CR. A field that starts with `"` is
/// quoted: it may contain commas, line breaks and `""` (one literal quote), and must be followed by
/// a separator or the end. Completely empty lines are skipped. Line numbers are physical lines, so
/// a record whose quoted field spans lines starts on one line and the next record on a later one.
/// It stops as soon as `maxRecords` is exceeded, so an oversized upload is not parsed to its end.
enum SampleCSVReader {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    private enum State {
        /// At the start of a field (nothing read for it yet).
        case fieldStart
        /// Inside an unquoted field.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just read a `"` inside a quoted field: either the closing quote or the first of `""`.
        case quoteInQuoted
    }

    static func records(in bytes: [UInt8], maxRecords: Int) -> Result<[SampleCSVRecord], SampleCSVSyntaxError> {
        var records: [SampleCSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var index = bytes.startIndex

        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            var isLineBreak = false
            var isCRLF = false
            if byte == lf {
                isLineBreak = true
            } else if byte == cr {
                isLineBreak = true
                if index < bytes.endIndex, bytes[index] == lf {
                    index += 1
                    isCRLF = true
                }
            }

            switch state {
            case .quoted:
                if byte == quote {
                    state = .quoteInQuoted
                } else {
                    field.append(byte)
                    if isCRLF { field.append(lf) }
                    if isLineBreak { line += 1 }
                }
                continue
            case .quoteInQuoted where byte == quote:
                field.append(quote)
                state = .quoted
                continue
            case .fieldStart where byte == quote:
                state = .quoted
                quoteLine = line
                continue
            case .unquoted where byte == quote, .quoteInQuoted where byte != comma && !isLineBreak:
                return .failure(.strayQuote(line: line))
            default:
                break
            }

            if byte == comma {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                state = .fieldStart
            } else if isLineBreak {
                let blank = state == .fieldStart && fields.isEmpty
                if !blank {
                    fields.append(String(decoding: field, as: UTF8.self))
                    records.append(SampleCSVRecord(fields: fields, line: recordLine))
                    if records.count > maxRecords {
                        return .failure(.tooManyRecords(limit: maxRecords))
                    }
                }
                fields.removeAll(keepingCapacity: true)
                field.removeAll(keepingCapacity: true)
                state = .fieldStart
                line += 1
                recordLine = line
            } else {
                field.append(byte)
                state = .unquoted
            }
        }

        switch state {
        case .quoted:
            return .failure(.unterminatedQuote(line: quoteLine))
        case .fieldStart where fields.isEmpty:
            break
        case .fieldStart, .unquoted, .quoteInQuoted:
            fields.append(String(decoding: field, as: UTF8.self))
            records.append(SampleCSVRecord(fields: fields, line: recordLine))
            if records.count > maxRecords {
                return .failure(.tooManyRecords(limit: maxRecords))
            }
        }
        return .success(records)
    }
}
