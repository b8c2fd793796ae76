import Synchronization

/// Who a request turned out to be, as the authentication middleware found it.
///
/// A middleware hands its inner neighbours a changed copy of the request context, so the
/// request log, which wraps authentication, would never see the account it set. This note
/// is shared by every copy of one request's context: authentication writes it, the log
/// reads it once the response is made.
public final class CallerNote: Sendable {
    private let login = Mutex<String?>(nil)

    public init() {}

    /// The login of the authenticated account, if the request had one.
    public var account: String? {
        get { login.withLock { $0 } }
        set { login.withLock { $0 = newValue } }
    }
}
