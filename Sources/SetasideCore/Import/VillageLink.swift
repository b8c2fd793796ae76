/// What ties a unit to a village for a span of time: an assisting assignment (a unit
/// buys the village's products, 包销; by years) or a directed agreement (定向协议; by days).
public enum VillageLinkKind: String, Sendable, CaseIterable {
    case assignment, agreement

    /// The file (and table) that holds links of this kind.
    public var importKind: ImportKind {
        switch self {
        case .assignment: .assignments
        case .agreement: .agreements
        }
    }

    /// The column of the span's first year or day, in the file and the table.
    public var fromColumn: String {
        switch self {
        case .assignment: "year_from"
        case .agreement: "valid_from"
        }
    }

    /// The column of the span's last year or day (included).
    public var toColumn: String {
        switch self {
        case .assignment: "year_to"
        case .agreement: "valid_to"
        }
    }
}

/// The bound of a link's span: a `Year` (assignments) or a `CalendarDate` (agreements).
public protocol LinkBound: Sendable, Hashable, Comparable {
    /// The kind of link whose spans have bounds of this type.
    static var linkKind: VillageLinkKind { get }
    /// The bound as a file and the database write it (`2024`, `2024-01-01`).
    var text: String { get }
    /// A bound as a file writes it.
    init(parsingBound text: String) throws(FieldError)
}

extension Year: LinkBound {
    public static var linkKind: VillageLinkKind { .assignment }
    public var text: String { String(value) }
    public init(parsingBound text: String) throws(FieldError) { try self.init(parsing: text) }
}

extension CalendarDate: LinkBound {
    public static var linkKind: VillageLinkKind { .agreement }
    public var text: String { iso }
    public init(parsingBound text: String) throws(FieldError) {
        do { try self.init(parsingISO: text) } catch { throw FieldError(reason: error.description) }
    }
}

/// One link of a unit to a village, from `from` to `to` (both included).
public struct VillageLink<Bound: LinkBound>: Sendable, Hashable, FileRow, UnitRow {
    /// The file line of the row; 0 for a link that came from no file.
    public var line: Int
    public var creditCode: CreditCode
    public var villageCode: DivisionCode
    public var from: Bound
    public var to: Bound

    /// The kind of link.
    public static var kind: VillageLinkKind { Bound.linkKind }

    /// A link checked across its fields, whatever its source (a file's row, a JSON body):
    /// the village is a village (12 digits), and the span runs forward. Problems name the
    /// file's columns.
    public static func checked(line: Int = 0, creditCode: CreditCode, villageCode: DivisionCode, from: Bound,
                               to: Bound) throws(ImportError) -> VillageLink {
        var problems: [InputProblem] = []
        if villageCode.level != .village {
            problems.append(InputProblem(line: line, field: "village_code", reason: "\(villageCode.text) is not a village code (12 digits)"))
        }
        if from > to {
            problems.append(InputProblem(line: line, field: kind.toColumn, reason: "\(to.text) is before \(kind.fromColumn) \(from.text)"))
        }
        if !problems.isEmpty { throw .rejected(problems) }
        return VillageLink(line: line, creditCode: creditCode, villageCode: villageCode, from: from, to: to)
    }
}

/// A row of an `assignments` file: a unit assists a village for some years.
public typealias AssignmentRecord = VillageLink<Year>

/// A row of an `agreements` file: a directed agreement between a unit and a village.
public typealias AgreementRecord = VillageLink<CalendarDate>
