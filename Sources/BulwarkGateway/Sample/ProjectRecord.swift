/// A construction project as the sample risk API scores it.
///
/// Records from clients are built only by ``ProjectRecordValidator``, which guarantees every rule
/// below; the memberwise initializer exists for code and tests that already hold trusted values.
public struct ProjectRecord: Sendable, Hashable {
    /// How technically hard the work is; the biggest single input to the risk score.
    public enum Complexity: String, Sendable, Hashable, CaseIterable, Codable {
        case low
        case medium
        case high
    }

    /// Client's identifier: 1–64 characters of `A-Z a-z 0-9 _ -`.
    public var projectID: String
    /// Human-readable name, trimmed, 1–200 characters.
    public var name: String
    /// Total budget in the project's currency, greater than 0 and at most 1e12.
    public var budget: Double
    /// Planned duration in calendar days, 1–3650.
    public var durationDays: Int
    /// Peak crew size, 1–10000.
    public var crewSize: Int
    /// Planned start date, if known.
    public var startDate: CalendarDate?
    /// Defaults to `.medium` when the client does not say.
    public var complexity: Complexity
    /// Free-text region, trimmed, at most 100 characters.
    public var region: String?

    /// Builds a record without validating it; use ``ProjectRecordValidator`` for untrusted input.
    public init(
        projectID: String,
        name: String,
        budget: Double,
        durationDays: Int,
        crewSize: Int,
        startDate: CalendarDate? = nil,
        complexity: Complexity = .medium,
        region: String? = nil
    ) {
        self.projectID = projectID
        self.name = name
        self.budget = budget
        self.durationDays = durationDays
        self.crewSize = crewSize
        self.startDate = startDate
        self.complexity = complexity
        self.region = region
    }
}

/// The fields of a project record as they are spelled in JSON bodies and CSV headers.
///
/// One list drives JSON validation, CSV header checks and CSV cell typing, so the two upload
/// paths cannot drift apart. Cases are in the order problems are reported.
public enum ProjectField: String, Sendable, Hashable, CaseIterable {
    case projectID = "project_id"
    case name
    case budget
    case durationDays = "duration_days"
    case crewSize = "crew_size"
    case startDate = "start_date"
    case complexity
    case region

    /// The JSON type a field must have.
    public enum Kind: Sendable, Hashable {
        case string
        case number
        case integer
    }

    /// Whether a record without this field is refused.
    public var isRequired: Bool {
        switch self {
        case .projectID, .name, .budget, .durationDays, .crewSize: return true
        case .startDate, .complexity, .region: return false
        }
    }

    /// The JSON type the field must have (CSV cells are converted to it before validation).
    public var kind: Kind {
        switch self {
        case .budget: return .number
        case .durationDays, .crewSize: return .integer
        case .projectID, .name, .startDate, .complexity, .region: return .string
        }
    }
}
