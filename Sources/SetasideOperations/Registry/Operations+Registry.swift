import SetasideCore
import SetasideStore

extension Operations {
    /// A page of the units `account` may read, in credit-code order after `cursor`.
    public func units(visibleTo account: Account, after cursor: String?, limit: Int)
        async throws -> (units: [UnitRecordView], next: String?) {
        try await Self.translatingErrors { try await store.units(visibleTo: account, after: cursor, limit: limit) }
    }

    /// One unit, if `caller` may read it.
    public func unit(_ creditCode: String, by caller: Caller) async throws -> UnitRecordView {
        try await authorize(caller, .read, unit: creditCode)
        guard let unit = try await Self.translatingErrors({ try await store.unit(creditCode) }) else {
            throw AccessError.notFound("unit \(creditCode)")
        }
        return unit
    }

    /// The region tree, or the part under `root`.
    public func regions(under root: String?) async throws -> [RegionView] {
        try await Self.translatingErrors { try await store.regions(under: root) }
    }

    /// One region by code (nil: the first top-level region), without its tree.
    public func region(_ code: String?) async throws -> RegionView? {
        try await Self.translatingErrors { try await store.region(code) }
    }

    /// The policy packs and their rules.
    public func policyPacks() async throws -> [PolicyPack] {
        try await Self.translatingErrors { try await store.policyPacks() }
    }
}
