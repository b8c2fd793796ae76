import SetasideCore
import SetasideStore

extension Operations {
    /// A unit's declaration for a year, or nil.
    public func declaration(of creditCode: String, year: Int, by caller: Caller) async throws -> Declaration? {
        try await authorize(caller, .read, unit: creditCode)
        return try await Self.translatingErrors { try await store.declaration(of: creditCode, year: year) }
    }

    /// Declares (or re-declares) a unit's plan for a year; true when the year was new.
    @discardableResult
    public func declare(_ declaration: Declaration, of creditCode: String, by caller: Caller) async throws -> Bool {
        try await authorize(caller, .writeDeclarations, unit: creditCode)
        return try await Self.translatingErrors {
            try await store.putDeclaration(declaration, of: creditCode, actor: caller.actor)
        }
    }

    /// The villages a unit assists, by years.
    public func assignments(of creditCode: String, by caller: Caller) async throws -> [AssignmentView] {
        try await authorize(caller, .read, unit: creditCode)
        return try await Self.translatingErrors { try await store.assignments(of: creditCode) }
    }

    /// A unit's directed agreements.
    public func agreements(of creditCode: String, by caller: Caller) async throws -> [AgreementView] {
        try await authorize(caller, .read, unit: creditCode)
        return try await Self.translatingErrors { try await store.agreements(of: creditCode) }
    }

    /// Stores an assignment by the same statements as a row of an assignments file; true
    /// when it is new, false when it was stored already; a conflict when it is stored
    /// with another last year.
    public func assign(_ record: AssignmentRecord, by caller: Caller) async throws -> Bool {
        try await storeOne(record, by: caller) { try await $0.importAssignments($1) }
    }

    /// Stores a directed agreement, as `assign` an assignment.
    public func agree(_ record: AgreementRecord, by caller: Caller) async throws -> Bool {
        try await storeOne(record, by: caller) { try await $0.importAgreements($1) }
    }

    /// Stores one record of a file kind through that kind's import: its checks are the
    /// file's. A record whose only problems are clashes with what is stored is a conflict.
    private func storeOne<Record: FileRow>(
        _ record: Record, by caller: Caller,
        _ write: (Importer, ParsedImport<Record>) async throws -> ImportSummary
    ) async throws -> Bool where Record: UnitRow {
        try await authorize(caller, .writeLinks, unit: record.creditCode.text)
        do {
            return try await Self.translatingErrors {
                try await write(Importer(store: store, actor: caller.actor), ParsedImport(records: [record]))
            }.inserted > 0
        } catch ImportError.rejected(let problems) where !problems.isEmpty && problems.allSatisfy(\.isConflict) {
            throw StoreError.conflict(problems.map(\.reason).joined(separator: "; "))
        }
    }
}
