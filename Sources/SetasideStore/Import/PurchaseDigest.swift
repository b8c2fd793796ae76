import SetasideCore

/// The digest the audit trail keeps of a purchase, computed where an import reads its
/// rows instead of by the database: the same text and hash as the SQL function
/// `purchase_digest` (sql/0006), which stays the authority `audit verify` recomputes.
///
/// Written twice on purpose, where a benchmark shows it pays: the import's client
/// computes the digests of a million rows on the other core while the server stores the
/// batch before, instead of the server computing them after (docs/design.md). A test
/// compares the two on every kind of row.
enum PurchaseDigest {
    /// The SQL function's text: the fields joined by U+001F, dates as days since
    /// 2000-01-01, NULL as `\N`, the booking time in microseconds since 1970.
    static func text(id: Int64, _ r: PurchaseRecord, ledgerDate: CalendarDate, bookedAtMicroseconds: Int64) -> String {
        [String(id), r.creditCode.text, r.orderNo, String(r.orderDate.daysSinceUnixEpoch - day2000), r.channel.rawValue,
         r.category.rawValue, r.originCode.text, String(r.amount.fen), r.status.rawValue, r.festival ?? "\\N",
         r.reversalOf ?? "\\N", String(ledgerDate.daysSinceUnixEpoch - day2000), String(bookedAtMicroseconds)]
            .joined(separator: "\u{1F}")
    }

    /// The digest, as `purchase_digest` writes it (SHA-256, lower-case hexadecimal).
    static func hex(id: Int64, _ record: PurchaseRecord, ledgerDate: CalendarDate, bookedAtMicroseconds: Int64) -> String {
        SHA256.hex(Array(text(id: id, record, ledgerDate: ledgerDate, bookedAtMicroseconds: bookedAtMicroseconds).utf8))
    }

    /// 2000-01-01 in days since 1970-01-01.
    private static let day2000 = 10_957
}
