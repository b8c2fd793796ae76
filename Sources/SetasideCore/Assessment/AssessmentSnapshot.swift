/// A frozen assessment (年度考核快照): the figures of a year for a scope as they were when
/// frozen. Never edited; a new freeze is a new snapshot.
public struct AssessmentSnapshot: Sendable, Hashable {
    public var id: Int64
    public var year: Int
    /// The scope's region code (`100000` for every unit).
    public var region: String
    public var asOf: CalendarDate?
    /// When it was frozen (ISO 8601, UTC), and by whom.
    public var frozenAt: String
    public var frozenBy: String
    /// The audit chain's last hash at the freeze.
    public var auditHead: String?

    public init(id: Int64, year: Int, region: String, asOf: CalendarDate?, frozenAt: String, frozenBy: String,
                auditHead: String?) {
        self.id = id
        self.year = year
        self.region = region
        self.asOf = asOf
        self.frozenAt = frozenAt
        self.frozenBy = frozenBy
        self.auditHead = auditHead
    }

    /// Its JSON object: `{"id", "year", "region", "asOf", "frozenAt", "frozenBy", "auditHead"}`.
    public var json: String {
        "{\"id\": \(id), \"year\": \(year), \"region\": \(JSONText.string(region)), \"asOf\": \(JSONText.optional(asOf?.iso)), "
            + "\"frozenAt\": \(JSONText.string(frozenAt)), \"frozenBy\": \(JSONText.string(frozenBy)), "
            + "\"auditHead\": \(JSONText.optional(auditHead))}"
    }
}

/// Whose figures an assessment shows.
public enum AssessmentFigures: Sendable, Hashable {
    /// Today's, no snapshot covering the scope.
    case live
    /// Today's, although a snapshot covers the scope (asked with `--live`, or for
    /// another day).
    case liveSince(AssessmentSnapshot)
    /// A snapshot's.
    case frozen(AssessmentSnapshot)

    /// The snapshot shown, when the figures are frozen.
    public var snapshot: AssessmentSnapshot? {
        if case .frozen(let snapshot) = self { return snapshot }
        return nil
    }

    /// What the figures are, for the cover (数据) and the command's summary.
    public var chineseText: String {
        switch self {
        case .live: "实时数据（本范围本年度未冻结）"
        case .liveSince(let snapshot): "实时数据（快照 #\(snapshot.id) 冻结于 \(snapshot.frozenAt)，其后变动见 --changes）"
        case .frozen(let snapshot): "冻结快照 #\(snapshot.id)（冻结于 \(snapshot.frozenAt)，冻结人 \(snapshot.frozenBy)）"
        }
    }

    public var englishText: String {
        switch self {
        case .live: "live figures (no snapshot covers this scope and year)"
        case .liveSince(let snapshot): "live figures (snapshot #\(snapshot.id) was frozen at \(snapshot.frozenAt); --changes lists what moved)"
        case .frozen(let snapshot): "the figures frozen in snapshot #\(snapshot.id) at \(snapshot.frozenAt) (--live for today's)"
        }
    }
}
