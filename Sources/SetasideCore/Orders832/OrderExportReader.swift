/// Reads a platform's order export (the 832 platform's, a local platform's) as it is
/// downloaded: its header found by the order-number column below any title rows, each
/// column known by the header table (`OrderTables.headers`), each row decoded into a
/// purchase draft and checked like any other (`PurchaseDraft.checked`). A row partly
/// refunded (部分退款) is its order, completed, and a reversal of the refunded amount.
/// Problems name the export's line (a workbook's sheet row) and column header.
public struct OrderExportReader: PurchaseSource {
    /// What the rows are read against.
    public struct Context: Sendable {
        public var origins: OriginNames
        public var units: UnitNames
        /// The unit the file is imported for (`--unit`): a file without a buyer column
        /// is its orders; a row of another buyer is refused.
        public var unit: String?
        public var channel: PurchaseChannel
        /// The category of rows without a purpose column.
        public var category: PurchaseCategory
        /// The festival of union festival gifts whose row names none (`--festival`).
        public var festival: String?

        public init(origins: OriginNames, units: UnitNames, unit: String? = nil, channel: PurchaseChannel = .platform832,
                    category: PurchaseCategory = .canteenFood, festival: String? = nil) {
            self.origins = origins
            self.units = units
            self.unit = unit
            self.channel = channel
            self.category = category
            self.festival = festival
        }
    }

    /// How many rows above the header are looked at for it.
    static let headerSearchRows = 30

    private var rows: any OrderRowSource
    private let context: Context
    /// The column of each field found, and each column's header as written.
    let columns: [OrderField: Int]
    let headers: [Int: String]
    private var pending: [CSVRow]
    private var problems: [InputProblem] = []
    private var warnings: [InputProblem] = []
    private var firstLine: [String: Int] = [:]
    /// Origins and buyers as matched: an export repeats a few of each on every row, and a
    /// name's match walks the division tree. Emptied when they grow past `cacheLimit`.
    private var originMatches: [String: OriginNames.Match] = [:]
    private var buyerMatches: [String: (code: String?, namesakes: [String])] = [:]
    static let cacheLimit = 100_000

    /// Reads the export `bytes` (CSV: UTF-8 with or without a byte-order mark, or
    /// GB18030) up to its header.
    public init(csv bytes: [UInt8], encoding: TextEncoding? = nil, context: Context) throws(ImportError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(bytes: bytes, encoding: encoding, everyRow: true)
        } catch {
            throw .unreadable("\(error) (an order export is a CSV, xlsx or xls file with a header row naming 订单编号)")
        }
        try self.init(rows: CSVOrderRows(reader), context: context)
    }

    /// Reads the export whose rows `source` gives (a CSV file's, a workbook sheet's) up to
    /// its header.
    public init(rows source: some OrderRowSource, context: Context) throws(ImportError) {
        var source: any OrderRowSource = source
        let first = try source.next(Self.headerSearchRows)
        rows = source
        guard !first.isEmpty else { throw .unreadable("the export has no rows") }
        guard let at = first.firstIndex(where: { row in row.fields.contains { OrderTables.headers[Self.headerKey($0)] == .orderNo } })
        else {
            throw .unreadable("no header row naming the order number (\(Self.names(of: .orderNo))) in the first \(first.count) rows")
        }
        let header = first[at]
        var columns: [OrderField: Int] = [:], headers: [Int: String] = [:], duplicates: [InputProblem] = []
        for (index, text) in header.fields.enumerated() {
            guard let field = OrderTables.headers[Self.headerKey(text)] else { continue }
            headers[index] = String(FieldValue.trimmed(text))
            if let earlier = columns[field] {
                duplicates.append(InputProblem(line: header.line, field: String(FieldValue.trimmed(text)), reason:
                    "names the same field (\(field.rawValue)) as column \(earlier + 1) (\(headers[earlier] ?? ""))"))
            } else {
                columns[field] = index
            }
        }
        var missing: [String] = []
        for field in [OrderField.orderTime, .origin, .status] where columns[field] == nil { missing.append(Self.names(of: field)) }
        if columns[.amountPaid] == nil, columns[.orderAmount] == nil {
            missing.append(Self.names(of: .amountPaid) + " / " + Self.names(of: .orderAmount))
        }
        if columns[.buyer] == nil, context.unit == nil {
            missing.append(Self.names(of: .buyer) + " (or name the unit with --unit)")
        }
        if !missing.isEmpty {
            throw .unreadable("the header row (line \(header.line)) has no column for: \(missing.joined(separator: "; "))")
        }
        if !duplicates.isEmpty { throw .rejected(duplicates) }
        self.columns = columns
        self.headers = headers
        self.context = context
        pending = Array(first[(at + 1)...])
    }

    /// A header as the table knows it: without spaces.
    static func headerKey(_ text: String) -> String { String(text.filter { !$0.isWhitespace }) }

    /// The headers that name `field`, for messages.
    static func names(of field: OrderField) -> String {
        OrderTables.headers.filter { $0.value == field }.keys.sorted().joined(separator: " / ")
    }

    public var encoding: TextEncoding { rows.encoding }
    public var isAtEnd: Bool { pending.isEmpty && rows.isAtEnd }
    public var hasProblems: Bool { !problems.isEmpty }
    public private(set) var rowsRead = 0
    public var position: ReadPosition { rows.position }

    public mutating func next(_ maxRows: Int) throws(ImportError) -> [PurchaseRecord] {
        var batch = pending
        pending = []
        if batch.count < maxRows, !rows.isAtEnd {
            batch += try rows.next(maxRows - batch.count)
        }
        rowsRead += batch.count
        var records: [PurchaseRecord] = []
        for row in batch {
            let decoded = decode(row)
            problems += decoded.problems
            guard decoded.problems.isEmpty else { continue }
            for record in decoded.records {
                let key = "\(record.creditCode.text) \(record.orderNo)"
                if let earlier = firstLine[key] {
                    problems.append(InputProblem(line: row.line, field: headers[columns[.orderNo] ?? 0] ?? "订单编号",
                                                 reason: "repeats order \(record.orderNo) of line \(earlier)"))
                } else {
                    firstLine[key] = row.line
                    records.append(record)
                }
            }
        }
        return records
    }

    public func finish(excusing excused: Set<Int>) throws(ImportError) -> ParsedImport<PurchaseRecord> {
        let left = excused.isEmpty ? problems : problems.filter { !excused.contains($0.line) }
        if !left.isEmpty { throw .rejected(left) }
        return ParsedImport(records: [], warnings: warnings, encoding: rows.encoding)
    }

    /// The purchases of one row: its order, and a reversal when it was partly refunded.
    mutating func decode(_ row: CSVRow) -> (records: [PurchaseRecord], problems: [InputProblem]) {
        var problems: [InputProblem] = []
        func text(_ field: OrderField) -> String? {
            guard let index = columns[field], index < row.fields.count else { return nil }
            let value = FieldValue.trimmed(row.fields[index])
            return value.isEmpty ? nil : String(value)
        }
        func problem(_ field: OrderField, _ reason: String) {
            let header = columns[field].flatMap { headers[$0] } ?? Self.names(of: field)
            let value = text(field).map { "\(FieldValue.shown($0)) " } ?? ""
            problems.append(InputProblem(line: row.line, field: header, reason: value + reason))
        }
        var draft = PurchaseDraft(line: row.line)
        draft.channel = context.channel
        if let orderNo = text(.orderNo) {
            do { draft.orderNo = try FieldValue.orderNumber(orderNo) } catch { problem(.orderNo, error.reason) }
        } else {
            problem(.orderNo, "is empty")
        }
        if let time = text(.orderTime) {
            if let day = Self.day(time) { draft.orderDate = day } else { problem(.orderTime, "is not a date (2024-03-01, 2024/3/1 or 2024年3月1日, a time may follow)") }
        } else {
            problem(.orderTime, "is empty")
        }
        if let buyer = text(.buyer) {
            let found = buyerMatches[buyer] ?? context.units.lookUp(buyer)
            if buyerMatches.count >= Self.cacheLimit { buyerMatches = [:] }
            buyerMatches[buyer] = found
            if let code = found.code {
                if let unit = context.unit, unit != code {
                    problem(.buyer, "is unit \(code), not the unit the file is imported for (\(unit))")
                } else {
                    draft.creditCode = try? CreditCode(parsing: code)
                }
            } else if found.namesakes.count > 1 {
                problem(.buyer, "names \(found.namesakes.count) units: \(found.namesakes.joined(separator: ", ")); write the credit code instead")
            } else {
                problem(.buyer, "is no stored unit (neither a credit code nor a unit's name); import the units first")
            }
        } else if let unit = context.unit {
            draft.creditCode = try? CreditCode(parsing: unit)
        } else {
            problem(.buyer, "is empty")
        }
        if let origin = text(.origin) {
            let match = originMatches[origin] ?? context.origins.match(origin)
            if originMatches.count >= Self.cacheLimit { originMatches = [:] }
            originMatches[origin] = match
            switch match {
            case .found(let code): draft.originCode = try? DivisionCode(parsing: code)
            case .ambiguous(let candidates):
                problem(.origin, "fits several regions: " + candidates.map { "\($0.code) \($0.path)" }.joined(separator: "; ")
                        + "; write the full name or the code")
            case .unknown:
                problem(.origin, "is no region of the imported division tree (a full name such as 云南省大理白族自治州漾濞彝族自治县, a county's name, or a code)")
            }
        } else {
            problem(.origin, "is empty")
        }
        let amountField: OrderField = text(.amountPaid) != nil ? .amountPaid : .orderAmount
        if let amount = text(amountField) {
            if let money = Self.money(amount), money > .zero { draft.amount = money } else { problem(amountField, "is not a positive amount of yuan") }
        } else {
            problem(amountField, "is empty")
        }
        var refund: Money?
        if let word = text(.status) {
            switch OrderTables.statuses[word] ?? OrderTables.statuses[Self.headerKey(word)] {
            case .pending?: draft.status = .pending
            case .completed?: draft.status = .completed
            case .cancelled?: draft.status = .cancelled
            case .refunded?: draft.status = .refunded
            case .partlyRefunded?:
                draft.status = .completed
                if let text = text(.refundAmount), let money = Self.money(text), money > .zero {
                    if let amount = draft.amount, money >= amount {
                        problem(.refundAmount, "is the whole amount or more; a whole refund is 已退款")
                    } else {
                        refund = money
                    }
                } else {
                    problem(columns[.refundAmount] == nil ? .status : .refundAmount,
                            "部分退款 needs the refunded amount (a 退款金额 column)")
                }
            case nil:
                problem(.status, "is not a status this export's table knows (\(OrderTables.statuses.keys.sorted().joined(separator: " ")))")
            }
        } else {
            problem(.status, "is empty")
        }
        var festival = text(.festival)
        if let word = text(.category) {
            if let category = OrderTables.categories[word] ?? OrderTables.categories[Self.headerKey(word)] {
                draft.category = category
            } else if let named = OrderTables.festivalPurpose(Self.headerKey(word)) {
                draft.category = .unionFestival
                festival = festival ?? named
            } else {
                problem(.category, "is not a purpose this export's table knows (\(OrderTables.categories.keys.sorted().joined(separator: " ")), "
                        + "or a festival's gifts such as 春节慰问)")
            }
        } else {
            draft.category = context.category
        }
        // A festival column is read for festival gifts only: other rows may leave it filled.
        if draft.category == .unionFestival { draft.festival = festival ?? context.festival }
        draft.supplierName = text(.supplier)
        draft.product = text(.product)
        guard problems.isEmpty else { return ([], problems) }
        var warnings: [InputProblem] = []
        let checked = draft.checked(warnings: &warnings)
        let noFestival = draft.category == .unionFestival && draft.festival == nil
        guard let order = checked.record else { return ([], checked.problems.map { inExportTerms($0, row, noFestival: noFestival) }) }
        guard let refund else { return ([order], []) }
        // The refunded part, as a reversal of the order numbered after it (`…-R`): the same
        // number in a later export is the same reversal.
        var back = draft
        back.orderNo = order.orderNo + "-R"
        back.reversalOf = order.orderNo
        back.amount = Money(fen: -refund.fen)
        back.status = .completed
        let reversal = back.checked(warnings: &warnings)
        guard let record = reversal.record else { return ([], reversal.problems) }
        return ([order, record], [])
    }

    /// A problem of the draft's checks (named by a purchases file's columns) named by the
    /// export's header instead, with what the export can do about it (`noFestival`: the
    /// row is festival gifts naming no festival).
    func inExportTerms(_ problem: InputProblem, _ row: CSVRow, noFestival: Bool) -> InputProblem {
        let fields: [String: OrderField] = [
            "order_no": .orderNo, "order_date": .orderTime, "credit_code": .buyer, "origin_code": .origin,
            "amount": columns[.amountPaid] != nil ? .amountPaid : .orderAmount, "status": .status, "category": .category,
            "festival": columns[.festival] == nil && columns[.category] != nil ? .category : .festival,
            "supplier_name": .supplier, "product": .product,
        ]
        guard let field = fields[problem.field] else { return problem }
        var reason = problem.reason
        if problem.field == "festival", noFestival {
            reason = "节日慰问 needs its festival: a 节日 column, a purpose naming it (春节慰问, 中秋慰问), or --festival"
        }
        return InputProblem(line: row.line, field: columns[field].flatMap { headers[$0] } ?? Self.names(of: field), reason: reason)
    }

    /// A day written `2024-03-01`, `2024/3/1`, `2024.3.1` or `2024年3月1日`, a time after it
    /// left out (the exports write China's time).
    static func day(_ text: String) -> CalendarDate? {
        // A workbook stores a date as its serial number: days since 1899-12-30, the
        // time of day as the fraction.
        if let serial = Double(text), serial > 20_000, serial < 100_000 {
            return CalendarDate(unixSeconds: (Int64(serial.rounded(.down)) - 25_569) * 86_400, utcOffsetSeconds: 0)
        }
        // The first three runs of ASCII digits before a space or T: year, month, day (any
        // separators between them, 年 月 日 too).
        var numbers: [Int] = [], current = -1
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                current = max(current, 0) * 10 + Int(byte - UInt8(ascii: "0"))
                if current > 99_999 { return nil }
                continue
            }
            if current >= 0 { numbers.append(current); current = -1 }
            if numbers.count == 3 || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "T") { break }
        }
        if current >= 0, numbers.count < 3 { numbers.append(current) }
        guard numbers.count >= 3 else { return nil }
        return CalendarDate(year: numbers[0], month: numbers[1], day: numbers[2])
    }

    /// An amount written with `¥` or `￥`, spaces or thousands separators.
    static func money(_ text: String) -> Money? {
        // Most amounts are plain: digits, a point, thousands separators.
        if text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x80 }), let money = try? Money(parsingYuan: text) { return money }
        let cleaned = text.filter { $0 != "¥" && $0 != "￥" && $0 != "元" && !$0.isWhitespace }
        if let money = try? Money(parsingYuan: cleaned) { return money }
        // A workbook's number may carry a binary fraction's tail (`1200.0999999999999`):
        // rounded half up to the fen.
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let whole = Int64(parts[0]), whole >= 0, parts[1].count > 2,
              parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
              let cents = Int64(parts[1].prefix(2)), let next = Int64(parts[1].dropFirst(2).prefix(1)) else { return nil }
        let (fen, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        return Money(fen: fen + cents + (next >= 5 ? 1 : 0))
    }
}
