/// One sheet of a file for an office (a workbook's sheet, or one CSV file): a few
/// labelled lines above one table. The rows are made on demand, so that a sheet of a
/// province's 100 000 units is written row by row without being held twice.
public struct Sheet: Sendable {
    /// The sheet's name: the workbook tab, or the CSV file's name without `.csv`.
    public var name: String
    /// Label–value lines above the table (a cover's year, scope, dates).
    public var preamble: [SheetLine]
    public var columns: [SheetColumn]
    /// Columns kept in view when scrolling right (a unit's code and name).
    public var frozenColumns: Int
    public var rowCount: Int
    /// The cells of row `index` (0 ..< rowCount), one per column.
    public var row: @Sendable (Int) -> [SheetCell]

    public init(name: String, preamble: [SheetLine] = [], columns: [SheetColumn], frozenColumns: Int = 0,
                rowCount: Int, row: @escaping @Sendable (Int) -> [SheetCell]) {
        self.name = name
        self.frozenColumns = frozenColumns
        self.preamble = preamble
        self.columns = columns
        self.rowCount = rowCount
        self.row = row
    }

    /// Whether any column belongs to a group (a rule's columns): the table then has a
    /// row of group names above its header.
    public var hasGroups: Bool { columns.contains { $0.group != nil } }
}

/// A labelled line above a sheet's table.
public struct SheetLine: Sendable, Hashable {
    public var label: String
    public var value: SheetCell

    public init(_ label: String, _ value: SheetCell) {
        self.label = label
        self.value = value
    }
}

/// A column of a sheet's table.
public struct SheetColumn: Sendable, Hashable {
    public var header: String
    /// The group it belongs to (a rule's name, over its base, required, actual… columns).
    public var group: String?
    /// Width in characters (a Chinese character counts two).
    public var width: Int

    public init(_ header: String, group: String? = nil, width: Int = 12) {
        self.header = header
        self.group = group
        self.width = width
    }

    /// The header as one line, for a format without a group row (CSV): `group·header`.
    public var flatHeader: String { group.map { "\($0)·\(header)" } ?? header }
}

/// A cell's value, typed so that a workbook stores numbers as numbers.
public enum SheetCell: Sendable, Hashable {
    case empty
    case text(String)
    case integer(Int)
    /// An amount: a numeric cell with two decimals and thousands separators.
    case money(Money)
    /// A share, from its display as a percentage with two decimals (`"16.83"`, as the
    /// compliance report shows it): a fraction (0.1683) shown as a percentage.
    case percent(String)

    /// A quantity of a rule: an amount or a count.
    public init(_ quantity: RuleQuantity?) {
        switch quantity {
        case .money(let money)?: self = .money(money)
        case .count(let count)?: self = .integer(count)
        case nil: self = .empty
        }
    }

    /// An optional amount.
    public init(_ money: Money?) {
        self = money.map(SheetCell.money) ?? .empty
    }

    /// A share in basis points (1000 = 10.00%).
    public init(basisPoints: Int?) {
        guard let basisPoints else { self = .empty; return }
        let hundredths = basisPoints % 100
        self = .percent("\(basisPoints / 100).\(hundredths < 10 ? "0" : "")\(hundredths)")
    }

    /// The value as CSV text: amounts `1234.56`, shares `16.83%` (which spreadsheets read
    /// back as numbers).
    public var csvText: String {
        switch self {
        case .empty: ""
        case .text(let text): text
        case .integer(let value): String(value)
        case .money(let money): money.yuanString
        case .percent(let display): display + "%"
        }
    }

    /// A share's value in ten-thousandths (`"16.83"` → 1683), the fraction's exact numerator
    /// over 10 000; nil for other cells.
    public var percentTenThousandths: Int? {
        guard case .percent(let display) = self else { return nil }
        let negative = display.hasPrefix("-")
        let digits = negative ? display.dropFirst() : Substring(display)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1].prefix(2)
            guard let value = Int(digits.count == 1 ? digits + "0" : String(digits)) else { return nil }
            fraction = value
        }
        let value = whole * 100 + fraction
        return negative ? -value : value
    }
}
