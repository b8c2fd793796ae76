import SetasideCore
import SetasideStore

/// A purchase as a write left it: stored now, or found stored with the same content.
public struct RecordedPurchase: Sendable, Hashable {
    public var purchase: Purchase
    /// False when the order was stored before with the same content (nothing changed).
    public var created: Bool
}

extension Operations {
    /// Records an order or a reversal for the unit of `record`. Orders recorded at the
    /// same moment share one statement and one commit (`PurchaseBatcher`); each is
    /// answered once its statement has committed.
    public func recordPurchase(_ record: PurchaseRecord, by caller: Caller) async throws -> RecordedPurchase {
        try await authorize(caller, .writePurchases, unit: record.creditCode.text)
        return try await changingReports {
            let (purchase, created) = try await batcher.create(record, actor: caller.actor)
            return RecordedPurchase(purchase: purchase, created: created)
        }
    }

    /// `recordPurchase` once per idempotency key: the answer `answer` renders is kept with
    /// the purchase in one transaction; a repeat of the request gets it back.
    public func recordPurchase(_ record: PurchaseRecord, by caller: Caller, key: IdempotencyKey,
                               answer: @escaping @Sendable (RecordedPurchase) -> KeptAnswer) async throws -> IdempotentOutcome {
        try await authorize(caller, .writePurchases, unit: record.creditCode.text)
        return try await write(record, by: caller, key: key, answer: answer)
    }

    /// Takes back `amount` of the purchase `id` by a new, negative purchase (红字冲销)
    /// numbered `orderNo`: the original is never changed. With a key, once per key.
    public func reversePurchase(
        id: Int64, orderNo: String, orderDate: CalendarDate, amount: Money, by caller: Caller,
        key: IdempotencyKey? = nil, answer: @escaping @Sendable (RecordedPurchase) -> KeptAnswer
    ) async throws -> IdempotentOutcome {
        let original = try await purchase(id: id, for: .writePurchases, by: caller)
        let record = try PurchaseRecord.reversal(of: original, orderNo: orderNo, orderDate: orderDate, amount: amount)
        return try await write(record, by: caller, key: key, answer: answer)
    }

    /// Books a status change of a stored order (paid, cancelled, refunded whole), dated
    /// `day` (default today in China): an appended entry, never an edit. Returns the
    /// purchase after, and whether a change was booked (false: it had that status).
    public func changeStatus(id: Int64, to next: PurchaseStatus, on day: CalendarDate?, by caller: Caller)
        async throws -> (purchase: Purchase, booked: Bool) {
        let purchase = try await purchase(id: id, for: .writePurchases, by: caller)
        return try await changingReports {
            try await store.changeStatus(of: purchase, to: next, on: day, actor: caller.actor)
        }
    }

    /// Stores `record` alone in a transaction of its own, once per key when there is one.
    private func write(_ record: PurchaseRecord, by caller: Caller, key: IdempotencyKey?,
                       answer: @escaping @Sendable (RecordedPurchase) -> KeptAnswer) async throws -> IdempotentOutcome {
        let write: @Sendable (Store.Transaction) async throws -> KeptAnswer = { transaction in
            let (purchase, created) = try await store.createPurchase(record, actor: caller.actor, in: transaction)
            return answer(RecordedPurchase(purchase: purchase, created: created))
        }
        return try await changingReports {
            guard let key else {
                return .fresh(try await store.inTransaction(write))
            }
            return try await idempotently(key, by: caller, write)
        }
    }

    /// One purchase by id, if `caller` may read it.
    public func purchase(id: Int64, by caller: Caller) async throws -> Purchase {
        try await purchase(id: id, for: .read, by: caller)
    }

    /// The purchase `id`, if `caller` may do `action` on it. A purchase the caller may not
    /// even read is "not found", as one that does not exist: the answer does not tell
    /// which ids are taken. One it may read but not `action` is refused naming the
    /// purchase, not its unit.
    public func purchase(id: Int64, for action: AccessPolicy.Action, by caller: Caller) async throws -> Purchase {
        guard id > 0, let purchase = try await Self.translatingErrors({ try await store.purchase(id: id) }) else {
            throw AccessError.notFound("purchase \(id)")
        }
        do {
            try await authorize(caller, .read, unit: purchase.creditCode.text, subject: "purchase \(purchase.id)")
        } catch AccessError.forbidden {
            throw AccessError.notFound("purchase \(id)")
        }
        if action != .read {
            try await authorize(caller, action, unit: purchase.creditCode.text, subject: "the unit of purchase \(purchase.id)")
        }
        return purchase
    }

    /// A page of a unit's purchases in id order after `cursor`, and the next page's cursor.
    public func purchases(of creditCode: String, filter: PurchaseFilter, after cursor: Int64?, limit: Int,
                          by caller: Caller) async throws -> (purchases: [Purchase], next: Int64?) {
        try await authorize(caller, .read, unit: creditCode)
        return try await Self.translatingErrors {
            try await store.purchases(of: creditCode, filter: filter, after: cursor, limit: limit)
        }
    }

    /// Runs `write` once per (account, key) in one transaction with the key: a repeat of
    /// the same request gets the first answer back and stores nothing; the same key with
    /// another request is refused. A command-line caller has no keys: it just writes.
    func idempotently(_ key: IdempotencyKey, by caller: Caller,
                      _ write: @Sendable (Store.Transaction) async throws -> KeptAnswer) async throws -> IdempotentOutcome {
        try await Self.translatingErrors {
            try await store.inTransaction { transaction in
                guard case .account(let account) = caller else { return .fresh(try await write(transaction)) }
                try await store.lockIdempotencyKey(accountID: account.id, key: key.key, in: transaction)
                if let kept = try await store.keptAnswer(accountID: account.id, key: key.key, request: key.request,
                                                         in: transaction) {
                    return kept.sameRequest ? .replayed(KeptAnswer(status: kept.status, body: kept.body)) : .keyReused
                }
                let answer = try await write(transaction)
                try await store.keepAnswer(accountID: account.id, key: key.key, request: key.request,
                                           status: answer.status, body: answer.body, in: transaction)
                return .fresh(answer)
            }
        }
    }
}
