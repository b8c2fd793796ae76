import SetasideCore
import SetasideStore

/// Stores orders that arrive together from many clients in shared statements (a group
/// commit): while a few batches are being written, new orders wait and go in the next
/// one, so a busy server pays one statement and one commit for many orders instead of
/// one each. An order is answered only once its batch has committed.
///
/// Every order gets its own answer, as from `Store.createPurchase`: new, a repeat of a
/// stored order, or a conflict. When a batch fails as a whole (an origin that is not
/// stored fails the statement), its orders are retried one by one, so only the wrong one
/// gets the error. Reversals do not wait in a batch: they take the unit's lock.
public actor PurchaseBatcher {
    public typealias Outcome = (purchase: Purchase, created: Bool)

    public nonisolated let store: Store
    /// The most orders in one statement.
    public nonisolated let maxBatch: Int
    /// The most batches being written at once; more orders wait for one to finish.
    public nonisolated let maxInFlight: Int

    private var waiting: [(write: PurchaseWrite, reply: CheckedContinuation<Outcome, Error>)] = []
    private var inFlight = 0

    public init(store: Store, maxBatch: Int = 256, maxInFlight: Int = 2) {
        precondition(maxBatch > 0 && maxInFlight > 0)
        self.store = store
        self.maxBatch = maxBatch
        self.maxInFlight = maxInFlight
    }

    /// Stores `record` for `actor`: the stored purchase and whether it is new.
    public func create(_ record: PurchaseRecord, actor: String) async throws -> Outcome {
        if record.reversalOf != nil { return try await store.createPurchase(record, actor: actor) }
        return try await withCheckedThrowingContinuation { reply in
            waiting.append((PurchaseWrite(record: record, actor: actor), reply))
            startBatches()
        }
    }

    private func startBatches() {
        while inFlight < maxInFlight, !waiting.isEmpty {
            let batch = Array(waiting.prefix(maxBatch))
            waiting.removeFirst(batch.count)
            inFlight += 1
            Task { await self.finish(batch, Self.write(batch.map(\.write), to: store)) }
        }
    }

    private func finish(_ batch: [(write: PurchaseWrite, reply: CheckedContinuation<Outcome, Error>)],
                        _ results: [Result<Outcome, Error>]) {
        for (entry, result) in zip(batch, results) { entry.reply.resume(with: result) }
        inFlight -= 1
        startBatches()
    }

    private nonisolated static func write(_ writes: [PurchaseWrite], to store: Store) async -> [Result<Outcome, Error>] {
        do {
            return try await store.createPurchases(writes)
        } catch {
            // One wrong order fails the statement: each order alone finds out which.
            return await withTaskGroup(of: (Int, Result<Outcome, Error>).self) { group in
                for (i, write) in writes.enumerated() {
                    group.addTask {
                        do { return (i, .success(try await store.createPurchase(write.record, actor: write.actor))) }
                        catch { return (i, .failure(error)) }
                    }
                }
                var results = [Result<Outcome, Error>](repeating: .failure(CancellationError()), count: writes.count)
                for await (i, result) in group { results[i] = result }
                return results
            }
        }
    }
}
