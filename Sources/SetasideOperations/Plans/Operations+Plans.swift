import SetasideCore
import SetasideStore

extension Operations {
    /// Every version of a unit's declaration for a year, oldest first, with their
    /// returns; empty when it never declared.
    public func declarationHistory(of creditCode: String, year: Int, by caller: Caller) async throws -> DeclarationHistory {
        try await authorize(caller, .read, unit: creditCode)
        return try await Self.translatingErrors { try await store.declarationHistory(of: creditCode, year: year) }
    }

    /// Declares a unit's plan for a year: a new version unless the latest says the same
    /// and was not returned. Returns the history after, and whether a version was stored.
    @discardableResult
    public func declare(_ declaration: Declaration, of creditCode: String, by caller: Caller)
        async throws -> (history: DeclarationHistory, stored: Bool) {
        try await authorize(caller, .writeDeclarations, unit: creditCode)
        return try await changingReports {
            try await store.putDeclaration(declaration, of: creditCode, actor: caller.actor)
        }
    }

    /// Returns (退回) the latest version of a unit's declaration for a year with a reason
    /// (inspectors of the unit's region or supervising unit, admins); the unit declares
    /// again. With `version`, only when that is still the latest (else a conflict).
    public func returnDeclaration(of creditCode: String, year: Int, version: Int? = nil, reason: String, by caller: Caller)
        async throws -> DeclarationHistory {
        try await authorize(caller, .reviewDeclarations, unit: creditCode)
        let text = String(FieldValue.trimmed(reason))
        if text.isEmpty { throw ImportError.rejected([InputProblem.field("reason", "a return needs a reason the unit can act on")]) }
        if text.unicodeScalars.count > FieldValue.maxNoteLength {
            throw ImportError.rejected([InputProblem.field("reason", "has more than \(FieldValue.maxNoteLength) characters")])
        }
        return try await changingReports {
            try await store.returnDeclaration(of: creditCode, year: year, version: version, reason: text, actor: caller.actor)
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
            return try await changingReports {
                try await Importer(store: store, actor: caller.actor).importLinks(ParsedImport(records: [link]))
            }.inserted > 0
        } catch ImportError.rejected(let problems) where !problems.isEmpty && problems.allSatisfy(\.isConflict) {
            throw StoreError.conflict(problems.map(\.reason).joined(separator: "; "))
        }
    }
}
