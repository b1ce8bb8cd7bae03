import Foundation

/// Why an uploaded CSV could not be checked at all (answered with 400), as opposed to a file
/// whose rows were read and some refused (see ``CSVUploadReport``).
public enum CSVUploadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not UTF-8.
    case notUTF8
    /// No header row (empty upload, or only blank lines).
    case missingHeader
    /// A quoted field opened on `line` (1-based physical line) never closes.
    case unterminatedQuote(line: Int)
    /// A `"` inside an unquoted field, or text after a closing quote, on `line`.
    case strayQuote(line: Int)
    /// Required columns absent from the header, in field order.
    case missingColumns([String])
    /// Header columns that are not record fields, in header order.
    case unknownColumns([String])
    /// A column named twice in the header.
    case duplicateColumn(String)
    /// More than `limit` data rows.
    case tooManyRows(limit: Int)

    public var description: String {
        switch self {
        case .notUTF8:
            return "upload is not valid UTF-8 text"
        case .missingHeader:
            return "upload is empty; the first line must be a header row naming the columns"
        case .unterminatedQuote(let line):
            return "quoted field opened on line \(line) is never closed"
        case .strayQuote(let line):
            return "misplaced quote on line \(line): wrap a field containing quotes in quotes and double the inner ones"
        case .missingColumns(let names):
            return "header is missing required column(s): \(names.joined(separator: ", "))"
        case .unknownColumns(let names):
            let known = ProjectField.allCases.map(\.rawValue).joined(separator: ", ")
            return "header has unknown column(s): \(names.joined(separator: ", ")); known columns are \(known)"
        case .duplicateColumn(let name):
            return "header names column '\(name)' more than once"
        case .tooManyRows(let limit):
            return "upload has more than \(limit) data rows"
        }
    }
}

/// One refused data row and every reason it was refused.
public struct CSVRowReport: Sendable, Hashable, Codable {
    /// 1-based index among data rows: the first row after the header is 1; blank lines are not counted.
    public let row: Int
    /// 1-based physical line in the file where the row starts (the header is line 1).
    public let line: Int
    /// The same problems `POST /score` would report for this record.
    public let errors: [RecordProblem]

    public init(row: Int, line: Int, errors: [RecordProblem]) {
        self.row = row
        self.line = line
        self.errors = errors
    }
}

/// What an upload contained: counts, and the refused rows with reasons.
public struct CSVUploadReport: Sendable, Hashable, Codable {
    /// Data rows that passed validation.
    public let valid: Int
    /// Data rows that failed validation.
    public let invalid: Int
    /// Refused rows in file order, at most ``CSVUploadValidator/maxReportedRows`` of them.
    public let rows: [CSVRowReport]
    /// True when more rows were refused than are listed in `rows`.
    public let rowsTruncated: Bool

    public init(valid: Int, invalid: Int, rows: [CSVRowReport], rowsTruncated: Bool) {
        self.valid = valid
        self.invalid = invalid
        self.rows = rows
        self.rowsTruncated = rowsTruncated
    }

    /// Whether every data row was valid.
    public var allValid: Bool { invalid == 0 }

    enum CodingKeys: String, CodingKey {
        case valid
        case invalid
        case rows
        case rowsTruncated = "rows_truncated"
    }
}

/// Validates a CSV upload of project records, every row with ``ProjectRecordValidator``.
///
/// The header row is required and names the columns (the JSON field names, in any order, matched
/// case-insensitively after trimming); every required field needs a column and unknown columns
/// are refused, as unknown JSON fields are. Parsing follows RFC 4180 (see `SampleCSVReader`).
/// Empty cells mean "absent", so optional fields may be left blank. Guardrail: at most
/// ``maxDataRows`` data rows; the reader stops as soon as one more is seen.
public enum CSVUploadValidator {
    /// Most data rows accepted in one upload (the reference guardrail: 10,000 records a request).
    public static let maxDataRows = 10_000
    /// Most refused rows listed in a report, so the answer stays small.
    public static let maxReportedRows = 1_000

    /// Validates CSV text.
    public static func validate(_ text: String) -> Result<CSVUploadReport, CSVUploadError> {
        validate(utf8: Array(text.utf8))
    }

    /// Validates raw upload bytes, refusing anything that is not UTF-8 (a leading BOM is ignored).
    public static func validate(bytes: some Collection<UInt8>) -> Result<CSVUploadReport, CSVUploadError> {
        let array = Array(bytes)
        guard String(decoding: array, as: UTF8.self).utf8.elementsEqual(array) else {
            return .failure(.notUTF8)
        }
        return validate(utf8: array)
    }

    private static func validate(utf8 input: [UInt8]) -> Result<CSVUploadReport, CSVUploadError> {
        var bytes = input
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        let records: [SampleCSVRecord]
        switch SampleCSVReader.records(in: bytes, maxRecords: maxDataRows + 1) {
        case .success(let parsed):
            records = parsed
        case .failure(.unterminatedQuote(let line)):
            return .failure(.unterminatedQuote(line: line))
        case .failure(.strayQuote(let line)):
            return .failure(.strayQuote(line: line))
        case .failure(.tooManyRecords):
            return .failure(.tooManyRows(limit: maxDataRows))
        }
        guard let header = records.first else {
            return .failure(.missingHeader)
        }
        let columns: [(index: Int, field: ProjectField)]
        switch columnMap(header.fields) {
        case .success(let map): columns = map
        case .failure(let error): return .failure(error)
        }

        var valid = 0
        var invalid = 0
        var reports: [CSVRowReport] = []
        for (offset, record) in records.dropFirst().enumerated() {
            let problems = rowProblems(record, columns: columns, width: header.fields.count)
            if problems.isEmpty {
                valid += 1
                continue
            }
            invalid += 1
            if reports.count < maxReportedRows {
                reports.append(CSVRowReport(row: offset + 1, line: record.line, errors: problems))
            }
        }
        return .success(CSVUploadReport(valid: valid, invalid: invalid, rows: reports, rowsTruncated: invalid > reports.count))
    }

    /// Maps header positions to fields, refusing duplicate, unknown and missing columns.
    private static func columnMap(_ names: [String]) -> Result<[(index: Int, field: ProjectField)], CSVUploadError> {
        var columns: [(index: Int, field: ProjectField)] = []
        var seen: Set<String> = []
        var unknown: [String] = []
        for (index, raw) in names.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard seen.insert(name).inserted else {
                return .failure(.duplicateColumn(ProjectRecordValidator.shortened(name)))
            }
            if let field = ProjectField(rawValue: name) {
                columns.append((index: index, field: field))
            } else if unknown.count < ProjectRecordValidator.maxUnknownFieldsReported {
                unknown.append(ProjectRecordValidator.shortened(name))
            }
        }
        if !unknown.isEmpty {
            return .failure(.unknownColumns(unknown))
        }
        let present = Set(columns.map { $0.field })
        let missing = ProjectField.allCases.filter { $0.isRequired && !present.contains($0) }.map(\.rawValue)
        if !missing.isEmpty {
            return .failure(.missingColumns(missing))
        }
        return .success(columns)
    }

    private static func rowProblems(_ record: SampleCSVRecord, columns: [(index: Int, field: ProjectField)], width: Int) -> [RecordProblem] {
        guard record.fields.count == width else {
            return [RecordProblem(field: "(row)", reason: "has \(record.fields.count) fields but the header has \(width)")]
        }
        var object: [String: SampleJSONValue] = [:]
        for column in columns {
            if let value = cellValue(record.fields[column.index], kind: column.field.kind) {
                object[column.field.rawValue] = value
            }
        }
        return ProjectRecordValidator.validate(object).problems
    }

    /// Types a cell for the validator: blank means absent; a numeric column holds a number when
    /// the text parses as a finite one, else the text itself (so the reason names the expected type).
    static func cellValue(_ cell: String, kind: ProjectField.Kind) -> SampleJSONValue? {
        switch kind {
        case .string:
            return cell.isEmpty ? nil : .string(cell)
        case .number, .integer:
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            if let number = Double(trimmed), number.isFinite { return .number(number) }
            return .string(cell)
        }
    }
}
