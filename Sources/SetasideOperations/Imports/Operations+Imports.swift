import SetasideCore
import SetasideStore

extension Operations {
    /// Imports a CSV file of `kind`: decoded and checked in full by the core, then
    /// checked against what is stored and stored in one transaction; any problem stores
    /// nothing. With `unit`, every row must be that unit's (a clerk's upload for one of
    /// its units). An account imports only purchases, only for a unit it may write;
    /// the command line imports every kind.
    public func importFile(_ kind: ImportKind, bytes: [UInt8], by caller: Caller, unit: String? = nil)
        async throws -> ImportSummary {
        if case .account(let account) = caller {
            if let unit, kind == .purchases {
                try await authorize(caller, .writePurchases, unit: unit)
            } else if account.role != .admin {
                throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not import \(kind.rawValue)")
            }
        }
        let importer = Importer(store: store, actor: caller.actor)
        return try await Self.translatingErrors {
            switch kind {
            case .regions: try await importer.importRegions(try ImportParser.regions(bytes))
            case .units: try await importer.importUnits(try ImportParser.units(bytes))
            case .declarations: try await importer.importDeclarations(try only(unit, ImportParser.declarations(bytes)))
            case .assignments: try await importer.importLinks(try only(unit, ImportParser.assignments(bytes)))
            case .agreements: try await importer.importLinks(try only(unit, ImportParser.agreements(bytes)))
            case .purchases: try await importer.importPurchases(try only(unit, ImportParser.purchases(bytes)))
            }
        }
    }

    /// `parsed`, refused when `unit` is set and a row is another unit's.
    private func only<Record: FileRow & UnitRow>(_ unit: String?, _ parsed: ParsedImport<Record>)
        throws(ImportError) -> ParsedImport<Record> {
        guard let unit else { return parsed }
        let foreign = parsed.records.filter { $0.creditCode.text != unit }.map {
            ImportProblem(line: $0.line, field: "credit_code", reason: "\($0.creditCode.text) is not the unit this file is imported for (\(unit))")
        }
        if !foreign.isEmpty { throw .rejected(foreign) }
        return parsed
    }
}
