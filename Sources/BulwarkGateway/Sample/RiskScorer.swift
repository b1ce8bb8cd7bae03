/// Risk band for a score; fixed thresholds so scores mean the same thing on every call.
public enum RiskLevel: String, Sendable, Hashable, CaseIterable, Codable {
    case low
    case medium
    case high

    /// `low` below 40, `medium` from 40 to 69, `high` from 70.
    public init(score: Int) {
        if score < RiskScorer.mediumThreshold {
            self = .low
        } else if score < RiskScorer.highThreshold {
            self = .medium
        } else {
            self = .high
        }
    }
}

/// One factor's share of a score, so a client can see why a project scored as it did.
public struct RiskFactor: Sendable, Hashable, Codable {
    /// Stable identifier: `funding`, `duration`, `complexity`, `crew_size` or `budget_scale`.
    public let name: String
    /// Points this factor added, 0 ... `maxPoints`.
    public let points: Int
    /// The most this factor can add; the maxima sum to 100.
    public let maxPoints: Int
    /// The observed value behind the points, in words.
    public let detail: String

    public init(name: String, points: Int, maxPoints: Int, detail: String) {
        self.name = name
        self.points = points
        self.maxPoints = maxPoints
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case name
        case points
        case maxPoints = "max_points"
        case detail
    }
}

/// A scored project, as `POST /score` returns it.
public struct RiskAssessment: Sendable, Hashable, Codable {
    public let projectID: String
    /// 0–100, the sum of the factors' points.
    public let score: Int
    public let level: RiskLevel
    /// Every factor, in a fixed order, including those that added 0 points.
    public let factors: [RiskFactor]

    public init(projectID: String, score: Int, level: RiskLevel, factors: [RiskFactor]) {
        self.projectID = projectID
        self.score = score
        self.level = level
        self.factors = factors
    }

    enum CodingKeys: String, CodingKey {
        case projectID = "project_id"
        case score
        case level
        case factors
    }
}

/// Deterministic construction-risk score for a project record.
///
/// A pure function of the record (no clock, no randomness, no model), so the sample upstream gives
/// the same answer to the same request — which is what gateway tests (caching, retries, replays)
/// need. Five weighted factors, whose maxima sum to 100:
///
/// | factor | max | rule |
/// | --- | --- | --- |
/// | `funding` | 30 | budget per crew-day below the benchmark of 1,000: `30 × (1 − perCrewDay / 1000)` |
/// | `duration` | 20 | ≤ 90 days 2, ≤ 180 5, ≤ 365 9, ≤ 730 14, longer 20 |
/// | `complexity` | 25 | low 5, medium 12, high 25 |
/// | `crew_size` | 15 | ≤ 10 people 2, ≤ 50 5, ≤ 200 9, ≤ 1000 12, more 15 |
/// | `budget_scale` | 10 | < 1e6 1, < 1e7 3, < 1e8 6, < 1e9 8, larger 10 |
///
/// The level is `low` below 40, `medium` below 70, `high` otherwise.
public enum RiskScorer {
    /// Budget per crew-day at or above which funding adds no risk.
    public static let fundingBenchmarkPerCrewDay: Double = 1_000
    /// Lowest score of the `medium` band.
    public static let mediumThreshold = 40
    /// Lowest score of the `high` band.
    public static let highThreshold = 70

    /// Scores a record. Total for any input: values a validator would refuse (zero crew,
    /// non-finite budget) are clamped rather than trapping.
    public static func assess(_ record: ProjectRecord) -> RiskAssessment {
        let factors = [
            funding(record),
            duration(record.durationDays),
            complexity(record.complexity),
            crewSize(record.crewSize),
            budgetScale(record.budget),
        ]
        let total = factors.reduce(0) { $0 + $1.points }
        let score = min(100, max(0, total))
        return RiskAssessment(projectID: record.projectID, score: score, level: RiskLevel(score: score), factors: factors)
    }

    static func funding(_ record: ProjectRecord) -> RiskFactor {
        let crewDays = Double(max(1, record.crewSize)) * Double(max(1, record.durationDays))
        let budget = record.budget.isFinite ? max(0, record.budget) : 0
        let perCrewDay = budget / crewDays
        let shortfall = max(0, 1 - perCrewDay / fundingBenchmarkPerCrewDay)
        let points = min(30, max(0, Int((30 * shortfall).rounded())))
        let shown = Int(min(perCrewDay, 1e15).rounded())
        let benchmark = Int(fundingBenchmarkPerCrewDay)
        return RiskFactor(
            name: "funding",
            points: points,
            maxPoints: 30,
            detail: "budget per crew-day about \(shown) against a benchmark of \(benchmark)"
        )
    }

    static func duration(_ days: Int) -> RiskFactor {
        let points: Int
        switch days {
        case ...90: points = 2
        case ...180: points = 5
        case ...365: points = 9
        case ...730: points = 14
        default: points = 20
        }
        return RiskFactor(name: "duration", points: points, maxPoints: 20, detail: "\(days) days planned")
    }

    static func complexity(_ complexity: ProjectRecord.Complexity) -> RiskFactor {
        let points: Int
        switch complexity {
        case .low: points = 5
        case .medium: points = 12
        case .high: points = 25
        }
        return RiskFactor(
            name: "complexity",
            points: points,
            maxPoints: 25,
            detail: "\(complexity.rawValue) complexity"
        )
    }

    static func crewSize(_ crew: Int) -> RiskFactor {
        let points: Int
        switch crew {
        case ...10: points = 2
        case ...50: points = 5
        case ...200: points = 9
        case ...1000: points = 12
        default: points = 15
        }
        return RiskFactor(name: "crew_size", points: points, maxPoints: 15, detail: "crew of \(crew)")
    }

    static func budgetScale(_ budget: Double) -> RiskFactor {
        let points: Int
        let value = budget.isFinite ? budget : 0
        switch value {
        case ..<1e6: points = 1
        case ..<1e7: points = 3
        case ..<1e8: points = 6
        case ..<1e9: points = 8
        default: points = 10
        }
        let detail: String
        switch value {
        case ..<1e6: detail = "budget under 1 million"
        case ..<1e9: detail = "budget in the millions"
        default: detail = "budget of 1 billion or more"
        }
        return RiskFactor(name: "budget_scale", points: points, maxPoints: 10, detail: detail)
    }
}
