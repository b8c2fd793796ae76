/// Turns the bytes of an import file into checked records. Everything that can be
/// checked without the database is checked here; every problem of every row is
/// collected before the file is refused.
public enum ImportParser {
    /// Parses a `regions` file.
    public static func regions(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(ImportError) -> ParsedImport<RegionRecord> {
        try parse(bytes, encoding: encoding, kind: .regions, key: { $0.code.text }) { reader, _ in
            let code = reader.division("code")
            let name = reader.parse("name") { try FieldValue.name($0) }
            let level = reader.choice("level", DivisionLevel.self)
            let parentText = reader.text("parent_code")
            var parent: DivisionCode?
            if !parentText.isEmpty {
                parent = reader.parse("parent_code") { try DivisionCode(parsing: $0) }
            } else if let code {
                parent = code.derivedParent
                if parent == nil { reader.problem("parent_code", "is empty and cannot be derived from \(code.text)") }
            }
            let relieved = reader.bool("poverty_relieved")
            if let code, let level {
                if level == .country {
                    reader.problem("level", "country is the built-in root 100000; import provinces and below")
                } else if !levelFits(level, code) {
                    reader.problem("level", "\(level.rawValue) does not fit the \(code.text.count)-digit code \(code.text)")
                }
            }
            if let code, let parent, parent.text.count > code.text.count {
                reader.problem("parent_code", "\(parent.text) is longer than the code \(code.text): a parent is a larger region")
            }
            if let code, parent == code { reader.problem("parent_code", "a region cannot be its own parent") }
            guard let code, let name, let level, let parent, let relieved else { return nil }
            return RegionRecord(line: reader.line, code: code, name: name, level: level,
                                parentCode: parent, povertyRelieved: relieved)
        }
    }

    static func levelFits(_ level: DivisionLevel, _ code: DivisionCode) -> Bool {
        switch code.text.count {
        case 12: level == .village
        case 9: level == .township
        default: [.province, .city, .county].contains(level)
        }
    }

    /// Parses a `units` file.
    public static func units(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(ImportError) -> ParsedImport<UnitRecord> {
        try parse(bytes, encoding: encoding, kind: .units, key: { $0.creditCode.text }) { reader, warnings in
            let creditCode = reader.creditCode("credit_code", warnings: &warnings)
            let name = reader.parse("name") { try FieldValue.name($0) }
            let region = reader.division("region_code")
            let level = reader.choice("level", UnitLevel.self)
            let hasCanteen = reader.bool("has_canteen")
            let fiveEntries = reader.bool("five_entries")
            let assisting = reader.bool("assisting")
            var parent: String?
            if !reader.text("parent_credit_code").isEmpty {
                parent = reader.creditCode("parent_credit_code", warnings: &warnings)?.text
                if parent == nil { return nil }
                if parent == creditCode?.text {
                    reader.problem("parent_credit_code", "names the unit itself; leave it empty for a unit no other supervises")
                    return nil
                }
            }
            guard let creditCode, let name, let region, let level, let hasCanteen, let fiveEntries, let assisting
            else { return nil }
            return UnitRecord(line: reader.line, creditCode: creditCode, name: name, regionCode: region, level: level,
                              hasCanteen: hasCanteen, fiveEntries: fiveEntries, assisting: assisting,
                              parentCreditCode: parent)
        }
    }

    /// Parses a `declarations` file.
    public static func declarations(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(ImportError) -> ParsedImport<DeclarationRecord> {
        try parse(bytes, encoding: encoding, kind: .declarations, key: { "\($0.creditCode.text) \($0.declaration.year)" },
                  row: declarationRow)
    }

    /// One declarations row: its figures and details decoded and checked; nil with the
    /// problems in `reader` when it has any.
    static func declarationRow(_ reader: inout RowReader, warnings: inout [InputProblem]) -> DeclarationRecord? {
        let creditCode = reader.creditCode("credit_code", warnings: &warnings)
        let year = reader.year("year")
        let total = reader.nonNegativeMoney("canteen_food_total")
        let reserved = reader.nonNegativeMoney("reserved_amount")
        let union = reader.nonNegativeMoney("union_welfare_budget")
        let details = declarationDetails(&reader, warnings: &warnings)
        guard let creditCode, let year, let total, let reserved, let union, let details else { return nil }
        return DeclarationRecord(line: reader.line, creditCode: creditCode, declaration: Declaration(
            year: year, canteenFoodTotal: total, reservedAmount: reserved, unionWelfareBudget: union).with(details))
    }

    /// A declaration typed into a form, its fields named as a declarations file's columns:
    /// decoded and checked exactly as a file's row is. The record, or the problems by
    /// column; the warnings either way.
    public static func declaration(fields: [String: String])
        -> (record: DeclarationRecord?, problems: [InputProblem], warnings: [InputProblem]) {
        formRow(.declarations, fields: fields) { reader, warnings in declarationRow(&reader, warnings: &warnings) }
    }

    /// `row` run on the fields a form gave, as a file of `kind` would run it on a row.
    static func formRow<Record>(_ kind: ImportKind, fields: [String: String],
                                row: (inout RowReader, inout [InputProblem]) -> Record?)
        -> (record: Record?, problems: [InputProblem], warnings: [InputProblem]) {
        let header = kind.columns + kind.optionalColumns
        guard let columns = try? CSVColumns(header: header, required: kind.columns, optional: kind.optionalColumns) else {
            return (nil, [], [])
        }
        var reader = RowReader(row: CSVRow(line: 0, fields: header.map { fields[$0] ?? "" }), columns: columns)
        var warnings: [InputProblem] = []
        let record = row(&reader, &warnings)
        return (reader.problems.isEmpty ? record : nil, reader.problems, warnings)
    }

    /// The optional columns of a declarations row (empty is absent), with the checks
    /// across them; nil with the problems in `reader` when any.
    static func declarationDetails(_ reader: inout RowReader, warnings: inout [InputProblem]) -> Declaration.Details? {
        var details = Declaration.Details()
        let before = reader.problems.count
        func present(_ column: String) -> Bool { !reader.text(column).isEmpty }
        if present("has_canteen") { details.hasCanteen = reader.bool("has_canteen") }
        if present("canteen_mode") { details.canteenMode = reader.choice("canteen_mode", CanteenMode.self) }
        if present("declared_by") { details.declaredBy = reader.creditCode("declared_by", warnings: &warnings)?.text }
        if present("union_purchase_need") { details.unionPurchaseNeed = reader.bool("union_purchase_need") }
        if present("declared_ratio") { details.declaredBasisPoints = reader.parse("declared_ratio") { try Ratio.basisPoints(parsing: $0) } }
        if present("approved_ratio") { details.approvedBasisPoints = reader.parse("approved_ratio") { try Ratio.basisPoints(parsing: $0) } }
        if present("approval_document") { details.approvalDocument = reader.parse("approval_document") { try FieldValue.name($0) } }
        if present("approved_by") { details.approvedBy = reader.parse("approved_by") { try FieldValue.name($0) } }
        if present("approved_on") { details.approvedOn = reader.date("approved_on") }
        if present("declared_on") { details.declaredOn = reader.date("declared_on") }
        if reader.problems.count == before {
            for (column, reason) in details.problems { reader.problem(column, reason) }
        }
        return reader.problems.count == before ? details : nil
    }

    /// Parses an `assignments` file.
    public static func assignments(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(ImportError) -> ParsedImport<AssignmentRecord> {
        try links(bytes, encoding: encoding)
    }

    /// Parses an `agreements` file.
    public static func agreements(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(ImportError) -> ParsedImport<AgreementRecord> {
        try links(bytes, encoding: encoding)
    }

    /// Parses a file of village links (assignments or agreements, by `Bound`).
    static func links<Bound: LinkBound>(_ bytes: [UInt8], encoding: TextEncoding?) throws(ImportError) -> ParsedImport<VillageLink<Bound>> {
        let kind = Bound.linkKind
        return try parse(bytes, encoding: encoding, kind: kind.importKind, key: { "\($0.creditCode.text) \($0.villageCode.text) \($0.from.text)" }) {
            reader, warnings in
            let creditCode = reader.creditCode("credit_code", warnings: &warnings)
            let village = reader.division("village_code")
            let from = reader.parse(kind.fromColumn) { text throws(FieldError) in try Bound(parsingBound: text) }
            let to = reader.parse(kind.toColumn) { text throws(FieldError) in try Bound(parsingBound: text) }
            guard let creditCode, let village, let from, let to else { return nil }
            let line = reader.line
            return reader.checked { () throws(ImportError) in
                try VillageLink.checked(line: line, creditCode: creditCode, villageCode: village, from: from, to: to)
            }
        }
    }

    /// Parses a `purchases` file.
    public static func purchases(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(ImportError) -> ParsedImport<PurchaseRecord> {
        var reader = try purchaseReader(bytes, encoding: encoding)
        return try reader.readAll()
    }

    /// A purchase typed into a form, its fields named as a purchases file's columns
    /// (`order_no`, `amount`…; a missing one is empty): decoded and checked exactly as a
    /// file's row is. The record, or the problems by column; the warnings either way.
    public static func purchase(fields: [String: String])
        -> (record: PurchaseRecord?, problems: [InputProblem], warnings: [InputProblem]) {
        var codes: [String: CreditCode] = [:]
        return formRow(.purchases, fields: fields) { reader, warnings in purchaseRow(&reader, warnings: &warnings, codes: &codes) }
    }

    /// The checks of one purchase row: its fields decoded into a `PurchaseDraft`, then
    /// the draft's checks; nil with problems in `reader` when it has any.
    static func purchaseRow(_ reader: inout RowReader, warnings: inout [InputProblem],
                            codes: inout [String: CreditCode]) -> PurchaseRecord? {
        var draft = PurchaseDraft(line: reader.line)
        let codeText = reader.text("credit_code")
        draft.creditCode = codes[codeText]
        if draft.creditCode == nil {
            draft.creditCode = reader.creditCode("credit_code", warnings: &warnings)
            if let creditCode = draft.creditCode { codes[codeText] = creditCode }
        }
        draft.orderNo = reader.parse("order_no") { try FieldValue.orderNumber($0) }
        draft.orderDate = reader.date("order_date")
        draft.channel = reader.choice("channel", PurchaseChannel.self)
        draft.category = reader.choice("category", PurchaseCategory.self)
        draft.originCode = reader.division("origin_code")
        draft.amount = reader.money("amount")
        draft.status = reader.choice("status", PurchaseStatus.self)
        draft.reversalOf = reader.optional("reversal_of")
        let festival = reader.text("festival")
        draft.festival = festival.isEmpty ? nil : festival
        if !reader.text("supplier_name").isEmpty { draft.supplierName = reader.parse("supplier_name") { try FieldValue.name($0) } }
        if !reader.text("supplier_credit_code").isEmpty {
            draft.supplierCreditCode = reader.creditCode("supplier_credit_code", warnings: &warnings)
        }
        if !reader.text("product").isEmpty { draft.product = reader.parse("product") { try FieldValue.name($0) } }
        let (record, problems) = draft.checked(warnings: &warnings)
        reader.problems += problems
        return reader.problems.isEmpty ? record : nil
    }

    /// Reads the table, checks the header, runs `row` on every row and refuses the
    /// file if any row had a problem or two rows share a key.
    static func parse<Record: Sendable>(
        _ bytes: [UInt8], encoding: TextEncoding?, kind: ImportKind, key: @escaping (Record) -> String,
        row: @escaping (inout RowReader, inout [InputProblem]) -> Record?
    ) throws(ImportError) -> ParsedImport<Record> {
        var reader = try ImportFileReader(bytes: bytes, encoding: encoding, kind: kind, key: key, row: row)
        return try reader.readAll()
    }

    /// A reader of a `purchases` file a batch at a time (an import's pipeline).
    public static func purchaseReader(_ bytes: [UInt8], encoding: TextEncoding? = nil) throws(ImportError) -> ImportFileReader<PurchaseRecord> {
        var codes: [String: CreditCode] = [:]   // a file repeats a few codes many times
        return try ImportFileReader(bytes: bytes, encoding: encoding, kind: .purchases, key: { "\($0.creditCode.text) \($0.orderNo)" }) {
            reader, warnings in
            purchaseRow(&reader, warnings: &warnings, codes: &codes)
        }
    }
}

/// Reads an import file a batch of records at a time, each row decoded and checked as
/// `ImportParser` checks it, every problem kept, and keys repeated across batches found.
/// `finish()` refuses the file if any row had a problem: a caller may send each batch on
/// while the next is read, so long as nothing is kept unless `finish()` passes.
public struct ImportFileReader<Record: Sendable> {
    private var csv: CSVReader
    private let kind: ImportKind
    private let columns: CSVColumns
    private let key: (Record) -> String
    private let row: (inout RowReader, inout [InputProblem]) -> Record?
    private var problems: [InputProblem] = []
    private var warnings: [InputProblem] = []
    private var firstLine: [String: Int] = [:]
    private var extraChecks: [(Record) -> InputProblem?] = []
    /// The rows read so far, with and without problems.
    public private(set) var rowsRead = 0

    init(bytes: [UInt8], encoding: TextEncoding?, kind: ImportKind, key: @escaping (Record) -> String,
         row: @escaping (inout RowReader, inout [InputProblem]) -> Record?) throws(ImportError) {
        do {
            csv = try CSVReader(bytes: bytes, encoding: encoding)
            columns = try CSVColumns(header: csv.header, required: kind.columns, optional: kind.optionalColumns)
        } catch {
            throw Self.unreadable(error, kind)
        }
        self.kind = kind
        self.key = key
        self.row = row
    }

    private static func unreadable(_ error: CSVError, _ kind: ImportKind) -> ImportError {
        .unreadable("\(error) (a \(kind.rawValue) file has the columns \(kind.columns.joined(separator: ","))"
                    + (kind.optionalColumns.isEmpty ? "" : ", and may have \(kind.optionalColumns.joined(separator: ","))") + ")")
    }

    /// Whether every row has been read.
    public var isAtEnd: Bool { csv.isAtEnd }

    /// Whether a row read so far had a problem: `finish()` will refuse the file.
    public var hasProblems: Bool { !problems.isEmpty }

    /// How much of the file has been read, in bytes of its text.
    public var position: ReadPosition { csv.position }

    /// Adds a check of each record the caller needs (a record of another unit than the
    /// one a file is imported for): a record it finds a problem with is refused like a
    /// bad row.
    public mutating func refuse(_ check: @escaping (Record) -> InputProblem?) {
        extraChecks.append(check)
    }

    /// The records of the next rows (at most `maxRows` rows); the rows with problems are
    /// left out and their problems kept for `finish()`. Empty at the end of the file.
    public mutating func next(_ maxRows: Int) throws(ImportError) -> [Record] {
        let rows: [CSVRow]
        do { rows = try csv.next(maxRows) } catch { throw Self.unreadable(error, kind) }
        rowsRead += rows.count
        var records: [Record] = []
        records.reserveCapacity(rows.count)
        for csvRow in rows {
            // A field of megabytes is a wrong column or worse: refused before it is parsed.
            if let long = csvRow.fields.firstIndex(where: { $0.utf8.count > FieldValue.maxFieldBytes }) {
                let column = columns.indexes.first { $0.value == long }?.key ?? "column \(long + 1)"
                problems.append(InputProblem(line: csvRow.line, field: column, reason:
                    "is \(csvRow.fields[long].utf8.count) bytes long; no field is longer than \(FieldValue.maxFieldBytes) bytes"))
                continue
            }
            var reader = RowReader(row: csvRow, columns: columns)
            let record = row(&reader, &warnings)
            problems += reader.problems
            guard let record, reader.problems.isEmpty else { continue }
            let refusals = extraChecks.compactMap { $0(record) }
            if !refusals.isEmpty {
                problems += refusals
                continue
            }
            let recordKey = key(record)
            if let earlier = firstLine[recordKey] {
                problems.append(InputProblem(line: csvRow.line, field: "",
                                              reason: "repeats the key of line \(earlier) (\(recordKey))"))
            } else {
                firstLine[recordKey] = csvRow.line
                records.append(record)
            }
        }
        return records
    }

    /// Every record of the file, or its problems.
    public mutating func readAll() throws(ImportError) -> ParsedImport<Record> {
        let records = try next(.max)
        var parsed = try finish()
        parsed.records = records
        return parsed
    }

    /// Refuses the file when any row read had a problem; else its warnings and encoding
    /// (the records are the caller's, batch by batch).
    public func finish() throws(ImportError) -> ParsedImport<Record> { try finish(excusing: []) }

    /// Like `finish()`, with the problems of the rows on the lines `excused` left out
    /// (a dry run reading the file again without the rows it refused).
    public func finish(excusing excused: Set<Int>) throws(ImportError) -> ParsedImport<Record> {
        let left = excused.isEmpty ? problems : problems.filter { !excused.contains($0.line) }
        if !left.isEmpty { throw .rejected(left) }
        return ParsedImport(records: [], warnings: warnings, encoding: csv.encoding)
    }
}

extension RowReader {
    /// The record `make` builds, or nil with its problems recorded.
    mutating func checked<Record>(_ make: () throws(ImportError) -> Record) -> Record? {
        do {
            return try make()
        } catch {
            switch error {
            case .rejected(let found): problems += found
            case .unreadable(let reason): problems.append(InputProblem(line: line, field: "", reason: reason))
            }
            return nil
        }
    }
}
