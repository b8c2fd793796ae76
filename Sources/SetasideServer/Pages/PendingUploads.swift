import Foundation

/// Files uploaded through the pages and checked by a dry run, kept until the reader
/// confirms the import (or for half an hour): the confirmation imports the very bytes the
/// dry run read, without sending them again. Bounded in count and bytes; an upload is
/// only given back to the account and unit it was uploaded for.
actor PendingUploads {
    /// What an upload holds.
    enum Kind: String, CaseIterable, Sendable {
        /// setaside's own purchases CSV.
        case purchases
        /// A platform's order export (xlsx, xls or CSV).
        case orders832
    }

    struct Upload: Sendable {
        var owner: String
        var unit: String
        var kind: Kind
        var filename: String
        var bytes: [UInt8]
        var expires: ContinuousClock.Instant
    }

    private var uploads: [String: Upload] = [:]
    let lifetime: Duration
    let maxBytes: Int

    init(lifetime: Duration = .seconds(1800), maxBytes: Int = 256 << 20) {
        self.lifetime = lifetime
        self.maxBytes = maxBytes
    }

    /// Keeps `upload` (its `expires` set now) and returns its id. The oldest are dropped
    /// when the bytes kept would pass `maxBytes`.
    func keep(owner: String, unit: String, kind: Kind, filename: String, bytes: [UInt8]) -> String {
        let now = ContinuousClock.now
        uploads = uploads.filter { $0.value.expires > now }
        while !uploads.isEmpty, uploads.values.reduce(bytes.count, { $0 + $1.bytes.count }) > maxBytes,
              let oldest = uploads.min(by: { $0.value.expires < $1.value.expires })?.key {
            uploads[oldest] = nil
        }
        let id = PageSession.newSecret().filter(\.isHexDigit)
        uploads[id] = Upload(owner: owner, unit: unit, kind: kind, filename: filename, bytes: bytes, expires: now + lifetime)
        return id
    }

    /// The upload `id` of `owner` for `unit`, removed; nil when there is none (expired,
    /// confirmed already, or another's).
    func take(_ id: String, owner: String, unit: String) -> Upload? {
        guard let upload = uploads[id], upload.owner == owner, upload.unit == unit, upload.expires > ContinuousClock.now else {
            return nil
        }
        uploads[id] = nil
        return upload
    }
}
