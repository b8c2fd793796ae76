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

    /// A unit's village links of one kind: the villages it assists by years
    /// (`Year.self`), or its directed agreements (`CalendarDate.self`).
    public func links<Bound: LinkBound>(of creditCode: String, _ bound: Bound.Type, by caller: Caller)
        async throws -> [VillageLink<Bound>] {
        try await authorize(caller, .read, unit: creditCode)
        return try await Self.translatingErrors { try await store.links(of: creditCode, bound) }
    }

    /// Stores a village link by the same statements as a row of its file; true when it is
    /// new, false when it was stored already; a conflict when it is stored from the same
    /// first year or day with another last one.
    public func addLink<Bound: LinkBound>(_ link: VillageLink<Bound>, by caller: Caller) async throws -> Bool {
        try await authorize(caller, .writeLinks, unit: link.creditCode.text)
        do {
            return try await Self.translatingErrors {
                try await Importer(store: store, actor: caller.actor).importLinks(ParsedImport(records: [link]))
            }.inserted > 0
        } catch ImportError.rejected(let problems) where !problems.isEmpty && problems.allSatisfy(\.isConflict) {
            throw StoreError.conflict(problems.map(\.reason).joined(separator: "; "))
        }
    }
}
