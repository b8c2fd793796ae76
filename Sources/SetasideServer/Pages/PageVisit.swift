import HTTPTypes
import Hummingbird
import SetasideCore

/// What every page is rendered with: the reader's language and its words, the account
/// signed in (if any), and the token its forms carry.
struct PageVisit {
    let language: PageLanguage
    let account: Account?
    /// The CSRF token of the session (or pre-session) cookie; empty without one.
    let csrf: String

    init(_ request: Request, account: Account?, secret: String?) {
        language = PageLanguage(code: request.cookies[PageLanguage.cookie]?.value)
        self.account = account
        csrf = secret.map(PageSession.csrfToken(for:)) ?? ""
    }

    var words: PageCatalogue { language.catalogue }

    /// The values every template reads (`t`, `lang`, `account`, `csrf`) with `values`.
    func values(_ values: [String: Any]) -> [String: Any] {
        var all = values
        all["t"] = words.words
        all["lang"] = language.tag
        all["csrf"] = csrf
        if let account { all["account"] = ["login": account.login, "role": account.role.rawValue] }
        return all
    }

    /// The page `template` as an HTML response.
    func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Nothing but the page's own stylesheet runs or loads.
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers,
                         body: ResponseBody(byteBuffer: ByteBuffer(string: PageTemplates.render(template, self.values(values)))))
    }
}
