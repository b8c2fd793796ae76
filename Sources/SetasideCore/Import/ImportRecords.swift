/// A row of a `regions` file.
public struct RegionRecord: Sendable, Hashable {
    public var line: Int
    public var code: DivisionCode
    public var name: String
    public var level: DivisionLevel
    /// The parent as written, or derived from the code when the column is empty.
    public var parentCode: DivisionCode
    public var povertyRelieved: Bool
}

/// A row of a `units` file.
public struct UnitRecord: Sendable, Hashable {
    public var line: Int
    public var creditCode: CreditCode
    public var name: String
    public var regionCode: DivisionCode
    public var level: UnitLevel
    public var hasCanteen: Bool
    public var fiveEntries: Bool
    public var assisting: Bool
    /// The supervising budget unit (主管预算单位), when the file names one.
    public var parentCreditCode: String? = nil
}

/// A row of a `declarations` file.
public struct DeclarationRecord: Sendable, Hashable {
    public var line: Int
    public var creditCode: CreditCode
    public var declaration: Declaration
}

/// A row of a `purchases` file.
public struct PurchaseRecord: Sendable, Hashable {
    public var line: Int
    public var creditCode: CreditCode
    public var orderNo: String
    public var orderDate: CalendarDate
    public var channel: PurchaseChannel
    public var category: PurchaseCategory
    public var originCode: DivisionCode
    /// Positive for an order; negative for a reversal.
    public var amount: Money
    public var status: PurchaseStatus
    public var festival: String?
    /// The order number this row reverses (红字冲销), for a reversal.
    public var reversalOf: String?
    /// Who sold it, when known: a name and a unified social credit code.
    public var supplierName: String?
    public var supplierCreditCode: CreditCode?
    /// The goods' name, when known.
    public var product: String?

    public init(
        line: Int, creditCode: CreditCode, orderNo: String, orderDate: CalendarDate, channel: PurchaseChannel,
        category: PurchaseCategory, originCode: DivisionCode, amount: Money, status: PurchaseStatus,
        festival: String?, reversalOf: String?, supplierName: String? = nil, supplierCreditCode: CreditCode? = nil,
        product: String? = nil
    ) {
        self.line = line
        self.creditCode = creditCode
        self.orderNo = orderNo
        self.orderDate = orderDate
        self.channel = channel
        self.category = category
        self.originCode = originCode
        self.amount = amount
        self.status = status
        self.festival = festival
        self.reversalOf = reversalOf
        self.supplierName = supplierName
        self.supplierCreditCode = supplierCreditCode
        self.product = product
    }
}

/// A parsed file: its records and the warnings that did not stop it.
public struct ParsedImport<Record: Sendable>: Sendable {
    public var records: [Record]
    /// Accepted but worth showing, e.g. a credit code whose check character is wrong.
    public var warnings: [InputProblem]
    public var encoding: TextEncoding

    public init(records: [Record], warnings: [InputProblem] = [], encoding: TextEncoding = .utf8) {
        self.records = records
        self.warnings = warnings
        self.encoding = encoding
    }
}

/// A record decoded from one row of an import file.
public protocol FileRow: Sendable {
    /// The physical line of the row in its file.
    var line: Int { get }
}

extension RegionRecord: FileRow {}
extension UnitRecord: FileRow {}
extension DeclarationRecord: FileRow {}
extension PurchaseRecord: FileRow {}

/// A record that belongs to one unit.
public protocol UnitRow: Sendable {
    var creditCode: CreditCode { get }
}

extension UnitRecord: UnitRow {}
extension DeclarationRecord: UnitRow {}
extension PurchaseRecord: UnitRow {}
