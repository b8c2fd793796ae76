import SetasideCore
import SetasideStore
import SetasideFiles

extension Operations {
    /// Imports a CSV file of `kind`: decoded and checked in full by the core, then
    /// checked against what is stored and stored in one transaction; any problem stores
    /// nothing. With `unit`, every row must be that unit's (a clerk's upload for one of
    /// its units). An account imports only purchases, only for a unit it may write;
    /// the command line imports every kind. `progress` is told how far it has got. A dry
    /// run (purchases only) does all of it and keeps nothing, saying what each row would do.
    public func importFile(_ kind: ImportKind, bytes: [UInt8], encoding: TextEncoding? = nil, by caller: Caller,
                           unit: String? = nil, dryRun: Bool = false,
                           progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        if dryRun, kind != .purchases {
            throw ImportError.unreadable("a dry run is for purchases and order exports, not \(kind.rawValue)")
        }
        if case .account(let account) = caller {
            if let unit, kind == .purchases {
                try await authorize(caller, .writePurchases, unit: unit)
            } else if account.role != .admin {
                throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not import \(kind.rawValue)")
            }
        }
        var importer = Importer(store: store, actor: caller.actor)
        importer.progress = progress
        // The other kinds are read whole, then checked and stored in one step.
        func read<Record>(_ parse: () throws(ImportError) -> ParsedImport<Record>) throws(ImportError) -> ParsedImport<Record> {
            progress(ImportProgress(stage: .reading, position: ReadPosition(done: 0, total: bytes.count)))
            let parsed = try parse()
            progress(ImportProgress(stage: .checking, rowsRead: parsed.records.count, rowsChecked: parsed.records.count,
                                    position: .whole(bytes.count)))
            return parsed
        }
        return try await changingReports(writes: !dryRun) {
            switch kind {
            case .regions: try await importer.importRegions(try read { () throws(ImportError) in try ImportParser.regions(bytes, encoding: encoding) })
            case .units: try await importer.importUnits(try read { () throws(ImportError) in try ImportParser.units(bytes, encoding: encoding) })
            case .declarations:
                try await importer.importDeclarations(try read { () throws(ImportError) in
                    try only(unit, ImportParser.declarations(bytes, encoding: encoding))
                })
            case .assignments:
                try await importer.importLinks(try read { () throws(ImportError) in try only(unit, ImportParser.assignments(bytes, encoding: encoding)) })
            case .agreements:
                try await importer.importLinks(try read { () throws(ImportError) in try only(unit, ImportParser.agreements(bytes, encoding: encoding)) })
            case .purchases:
                // Read a batch at a time while the server stages the last (a pipeline).
                try await importer.importPurchases(reading: { () throws(ImportError) in
                    try only(unit, ImportParser.purchaseReader(bytes, encoding: encoding))
                }, dryRun: dryRun)
            }
        }
    }

    /// Imports a platform's order export (832, a local platform), as clerks download it:
    /// its rows are read by the header table, their origins and buyers by name, and stored
    /// as purchases exactly as a purchases file's (orders already stored the same are
    /// left, status changes booked, any other difference refused; all or nothing).
    /// A clerk imports for its unit (`unit`); admins and the command line for any. A dry
    /// run does all of it and keeps nothing: the summary says what would be stored, and
    /// which rows would be refused. `category` and `festival` are those of rows that name
    /// none.
    public func importOrderExport(bytes: [UInt8], encoding: TextEncoding? = nil, sheet: String? = nil, unit: String?,
                                  channel: PurchaseChannel = .platform832, category: PurchaseCategory = .canteenFood,
                                  festival: String? = nil, dryRun: Bool = false, by caller: Caller,
                                  progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        if case .account(let account) = caller {
            if let unit {
                try await authorize(caller, .writePurchases, unit: unit)
            } else if account.role != .admin {
                throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) imports an order export for its unit: name it")
            }
        }
        var importer = Importer(store: store, actor: caller.actor)
        importer.progress = progress
        return try await changingReports(writes: !dryRun) {
            let names = try await store.orderExportNames()
            let context = OrderExportReader.Context(origins: OriginNames(names.regions), units: UnitNames(names.units),
                                                    unit: unit, channel: channel, category: category, festival: festival)
            return try await importer.importPurchases(reading: { () throws(ImportError) in
                if WorkbookSheetRows.isWorkbook(bytes) {
                    return try OrderExportReader(rows: WorkbookSheetRows(bytes: bytes, sheet: sheet), context: context)
                }
                if WorkbookSheetRows.isCompoundFile(bytes) {
                    return try OrderExportReader(rows: OldWorkbookRows(bytes: bytes, sheet: sheet), context: context)
                }
                return try OrderExportReader(csv: bytes, encoding: encoding, context: context)
            }, dryRun: dryRun)
        }
    }

    /// `reader`, which refuses a row of another unit than `unit` when it is set.
    private func only(_ unit: String?, _ reader: ImportFileReader<PurchaseRecord>) -> ImportFileReader<PurchaseRecord> {
        guard let unit else { return reader }
        var reader = reader
        reader.refuse { Self.foreign($0, unit: unit) }
        return reader
    }

    /// The problem of a row of another unit than `unit`, in a file imported for `unit`.
    private static func foreign<Record: FileRow & UnitRow>(_ record: Record, unit: String) -> InputProblem? {
        record.creditCode.text == unit ? nil
            : InputProblem(line: record.line, field: "credit_code",
                            reason: "\(record.creditCode.text) is not the unit this file is imported for (\(unit))")
    }

    /// `parsed`, refused when `unit` is set and a row is another unit's.
    private func only<Record: FileRow & UnitRow>(_ unit: String?, _ parsed: ParsedImport<Record>)
        throws(ImportError) -> ParsedImport<Record> {
        guard let unit else { return parsed }
        let foreign = parsed.records.compactMap { Self.foreign($0, unit: unit) }
        if !foreign.isEmpty { throw .rejected(foreign) }
        return parsed
    }
}
