import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SetasideCore
import SetasideOperations
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// The web pages (issue 14) against the real database: signing in with a cookie and a
/// CSRF token, signing out revoking the session, form errors kept and shown, and access
/// as the API decides it.
@Suite struct PageTests {
    /// A page's answer.
    struct Page {
        var status: Int
        var headers: HTTPFields
        var html: String

        var location: String? { headers[.location] }
        /// The values of the cookies the answer sets, by name.
        var cookies: [String: String] {
            var found: [String: String] = [:]
            for field in headers where field.name == .setCookie {
                let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                found[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
            }
            return found
        }
        /// The CSRF token of the page's first form.
        var csrf: String? {
            guard let range = html.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else { return nil }
            return String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
    }

    static func get(_ client: some TestClientProtocol, _ path: String, cookies: [String: String] = [:]) async throws -> Page {
        try await send(client, .get, path, cookies: cookies, form: nil)
    }

    static func post(_ client: some TestClientProtocol, _ path: String, cookies: [String: String] = [:],
                     form: [(String, String)]) async throws -> Page {
        try await send(client, .post, path, cookies: cookies, form: form)
    }

    static func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String,
                     cookies: [String: String], form: [(String, String)]?) async throws -> Page {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            let text = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
            body = ByteBuffer(string: text)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Page(status: Int(response.status.code), headers: response.headers, html: String(buffer: response.body))
        }
    }

    /// Signs `login` in through the form; the session cookie.
    static func signIn(_ client: some TestClientProtocol, _ login: String, _ password: String) async throws -> Page {
        let form = try await get(client, "/sign-in")
        return try await post(client, "/sign-in", cookies: form.cookies,
                              form: [("csrf", form.csrf ?? ""), ("login", login), ("password", password)])
    }

    @Test func aClerkSignsInSeesItsDashboardAndSigningOutEndsTheSession() async throws {
        try await APIWorld.with { _, client, store in
            try await LoginAPITests.addAccount(store, login: "zhou")
            let form = try await Self.get(client, "/sign-in")
            #expect(form.status == 200 && form.html.contains("<html lang=\"zh-Hans\">") && form.html.contains("登录"))
            #expect(form.cookies[PageSession.preSessionCookie]?.isEmpty == false && form.csrf != nil)
            let setCookie = try #require(form.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && !setCookie.contains("Secure"))

            let signedIn = try await Self.signIn(client, "zhou", LoginAPITests.password)
            #expect(signedIn.status == 303 && signedIn.location == "/", "\(signedIn.html)")
            let session = try #require(signedIn.cookies[PageSession.cookie])
            let cookies = [PageSession.cookie: session]
            let home = try await Self.get(client, "/", cookies: cookies)
            #expect(home.status == 303 && home.location == "/units/\(Fixtures.unitA)")
            let dashboard = try await Self.get(client, "/units/\(Fixtures.unitA)?year=2024", cookies: cookies)
            #expect(dashboard.status == 200, "\(dashboard.html)")
            #expect(dashboard.html.contains("示例单位甲") && dashboard.html.contains("role=\"progressbar\""))
            // Unit A falls short of the canteen share in 2024: a red rule, its shortfall in 元 with separators.
            #expect(dashboard.html.contains("status-short") && dashboard.html.contains(" 元"))
            #expect(dashboard.html.contains("zhou"))

            let out = try await Self.post(client, "/sign-out", cookies: cookies, form: [("csrf", dashboard.csrf ?? "")])
            #expect(out.status == 303 && out.location == "/sign-in")
            // The token is revoked: the old cookie no longer opens a page, nor the API.
            let after = try await Self.get(client, "/units/\(Fixtures.unitA)", cookies: cookies)
            #expect(after.status == 303 && after.location == "/sign-in")
            #expect(try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)", token: session).status == 401)
        }
    }

    @Test func aFormWithoutItsTokenIsRefused() async throws {
        try await APIWorld.with { world, client, store in
            try await LoginAPITests.addAccount(store, login: "zhou")
            let form = try await Self.get(client, "/sign-in")
            // The right password with another page's token (or none): refused, nobody signed in.
            let forged = try await Self.post(client, "/sign-in", cookies: form.cookies,
                                             form: [("csrf", String(repeating: "0", count: 64)), ("login", "zhou"),
                                                    ("password", LoginAPITests.password)])
            #expect(forged.status == 403 && forged.cookies[PageSession.cookie] == nil && forged.html.contains("表单已过期"))
            let noCookie = try await Self.post(client, "/sign-in", form: [("csrf", form.csrf ?? ""), ("login", "zhou"),
                                                                         ("password", LoginAPITests.password)])
            #expect(noCookie.status == 403)
            // Signing out without the session's token leaves the session as it was.
            let cookies = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            let out = try await Self.post(client, "/sign-out", cookies: cookies, form: [("csrf", "")])
            #expect(out.status == 403)
            #expect(try await Self.get(client, "/units/\(Fixtures.unitA)", cookies: cookies).status == 200)
        }
    }

    @Test func formErrorsAreShownNextToTheirFieldsWithWhatWasTyped() async throws {
        try await APIWorld.with { _, client, store in
            try await LoginAPITests.addAccount(store, login: "zhou")
            let empty = try await Self.signIn(client, "", "")
            #expect(empty.status == 422)
            #expect(empty.html.contains("id=\"login-error\"") && empty.html.contains("aria-invalid=\"true\"")
                    && empty.html.contains("请填写此项"))
            let wrong = try await Self.signIn(client, "zhou", "not the password")
            #expect(wrong.status == 401 && wrong.html.contains("账号或密码错误") && wrong.html.contains("value=\"zhou\""))
            #expect(wrong.cookies[PageSession.cookie] == nil)
        }
    }

    @Test func pagesShowWhatTheAccountMayReadAndNothingElse() async throws {
        try await APIWorld.with { world, client, _ in
            func cookies(_ login: String) throws -> [String: String] { [PageSession.cookie: try #require(world.tokens[login])] }
            // Not signed in: to the sign-in page.
            #expect(try await Self.get(client, "/units/\(Fixtures.unitA)").location == "/sign-in")
            // A clerk: its unit, not another's, not a region.
            let clerk = try cookies("clerkA")
            #expect(try await Self.get(client, "/units/\(Fixtures.unitA)?year=2024", cookies: clerk).status == 200)
            let other = try await Self.get(client, "/units/\(Fixtures.unitB)?year=2024", cookies: clerk)
            #expect(other.status == 403 && other.html.contains("无权查看") && !other.html.contains("示例单位乙"))
            #expect(try await Self.get(client, "/regions/140000?year=2024", cookies: clerk).status == 403)
            // An inspector: its region's units, and the units in them; not another region.
            let inspector = try cookies("inspectorShanxi")
            let overview = try await Self.get(client, "/regions/140000?year=2024", cookies: inspector)
            #expect(overview.status == 200, "\(overview.html)")
            #expect(overview.html.contains("示例单位甲") && overview.html.contains("示例单位丙") && !overview.html.contains("示例单位乙"))
            // Each unit's own region, not the country at the top of its tree.
            #expect(overview.html.contains("<td>平鲁区</td>") && !overview.html.contains("中华人民共和国"), "\(overview.html)")
            let short = try await Self.get(client, "/regions/140000?year=2024&filter=short", cookies: inspector)
            #expect(short.html.contains("示例单位甲") && !short.html.contains("示例单位丙"))
            #expect(try await Self.get(client, "/regions/530400?year=2024", cookies: inspector).status == 403)
            #expect(try await Self.get(client, "/units/\(Fixtures.unitB)?year=2024", cookies: inspector).status == 403)
            #expect(try await Self.get(client, "/units/\(Fixtures.unitA)?year=2024", cookies: inspector).status == 200)
            #expect(try await Self.get(client, "/", cookies: inspector).location == "/regions/140000")
        }
    }

    @Test func aPurchaseTypedWrongKeepsWhatWasTypedAndMarksTheFieldThenIsStoredAndReversed() async throws {
        try await APIWorld.with { world, client, store in
            let cookies = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            let path = "/units/\(Fixtures.unitA)/purchases"
            let page = try await Self.get(client, path + "?year=2024", cookies: cookies)
            #expect(page.status == 200, "\(page.status) \(page.html)")
            #expect(page.html.contains(">P1<") && page.html.contains("8,000.00"), "\(page.html)")
            let csrf = try #require(page.csrf)
            func form(_ amount: String, origin: String) -> [(String, String)] {
                [("csrf", csrf), ("order_no", "WEB-1"), ("order_date", "2024-07-01"), ("channel", "platform832"),
                 ("category", "canteenFood"), ("origin_code", origin), ("amount", amount), ("status", "completed")]
            }
            let bad = try await Self.post(client, path, cookies: cookies, form: form("abc", origin: "14"))
            #expect(bad.status == 422)
            #expect(bad.html.contains("id=\"amount-error\"") && bad.html.contains("id=\"origin_code-error\"")
                    && bad.html.contains("value=\"WEB-1\"") && bad.html.contains("value=\"abc\""), "\(bad.html)")
            #expect(!bad.html.contains("id=\"order_no-error\""))
            // In the reader's words: the catalogue's, not the core's English.
            #expect(bad.html.contains("“abc”不是以元为单位的金额") && !bad.html.contains("is not an amount in yuan"), "\(bad.html)")
            let good = try await Self.post(client, path, cookies: cookies, form: form("1,234.50", origin: "140603"))
            #expect(good.status == 303 && good.location?.contains("saved=WEB") == true, "\(good.html)")
            // The list shows the newest first: the order just entered heads it.
            let list = try await Self.get(client, try #require(good.location), cookies: cookies)
            let newest = try #require(list.html.range(of: ">WEB-1<")), older = try #require(list.html.range(of: ">P1<"))
            #expect(newest.lowerBound < older.lowerBound && list.html.contains("已保存订单 WEB-1"))
            let stored = try await store.client.query("SELECT id, amount FROM purchases WHERE order_no = 'WEB-1'").collect()
            let (id, amount) = try #require(stored.first).decode((Int64, Int64).self)
            #expect(amount == 123_450)
            // Its page, and a reversal of part of it: a new row, the original kept.
            let detail = try await Self.get(client, "/purchases/\(id)", cookies: cookies)
            #expect(detail.status == 200 && detail.html.contains("WEB-1-R"))
            let tooMuch = try await Self.post(client, "/purchases/\(id)/reversal", cookies: cookies,
                                              form: [("csrf", detail.csrf ?? ""), ("order_no", "WEB-1-R"),
                                                     ("order_date", "2024-07-02"), ("amount", "2000")])
            #expect(tooMuch.status == 409 || tooMuch.status == 422, "\(tooMuch.status) \(tooMuch.html)")
            #expect(tooMuch.html.contains("id=\"amount-error\""))
            let reversed = try await Self.post(client, "/purchases/\(id)/reversal", cookies: cookies,
                                               form: [("csrf", detail.csrf ?? ""), ("order_no", "WEB-1-R"),
                                                      ("order_date", "2024-07-02"), ("amount", "234.50")])
            #expect(reversed.status == 303, "\(reversed.html)")
            let rows = try await store.client.query("SELECT order_no || ' ' || amount FROM purchases WHERE order_no LIKE 'WEB-1%' ORDER BY id")
                .collect().map { try $0.decode(String.self) }
            #expect(rows == ["WEB-1 123450", "WEB-1-R -23450"])
            // An inspector reads the list but may not post a purchase, even with a good token.
            let inspector = [PageSession.cookie: try #require(world.tokens["inspectorShanxi"])]
            let read = try await Self.get(client, path + "?year=2024", cookies: inspector)
            #expect(read.status == 200 && !read.html.contains("name=\"order_no\""))
            let refused = try await Self.post(client, path, cookies: inspector,
                                              form: [("csrf", read.csrf ?? "")] + form("10", origin: "140603").dropFirst())
            #expect(refused.status == 403)
        }
    }

    @Test func theReaderMaySwitchToEnglish() async throws {
        try await APIWorld.with { _, client, _ in
            var headers = HTTPFields()
            headers[.referer] = "http://localhost/sign-in"
            let switched = try await client.execute(uri: "/language/en", method: .get, headers: headers) { $0 }
            #expect(switched.status == .seeOther && switched.headers[.location] == "/sign-in")
            let english = try await Self.get(client, "/sign-in", cookies: [PageLanguage.cookie: "en"])
            #expect(english.html.contains("<html lang=\"en\">") && english.html.contains("Sign in") && !english.html.contains("账号"))
            let css = try await Self.get(client, "/assets/site.css")
            #expect(css.status == 200 && css.headers[.contentType]?.hasPrefix("text/css") == true && css.html.contains("Microsoft YaHei"))
        }
    }
}

extension PageTests {
    @Test func aClerkDeclaresThroughTheFormAndEachVersionIsKept() async throws {
        try await APIWorld.with { world, client, _ in
            let cookies = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            let path = "/units/\(Fixtures.unitA)/declaration?year=2024"
            let page = try await Self.get(client, path, cookies: cookies)
            #expect(page.status == 200 && page.html.contains("value=\"100000.00\""), "\(page.html)")
            func form(_ reserved: String) -> [(String, String)] {
                [("csrf", page.csrf ?? ""), ("canteen_food_total", "100000.00"), ("reserved_amount", reserved),
                 ("union_welfare_budget", "20000.00"), ("has_canteen", "true"), ("canteen_mode", "own"),
                 ("union_purchase_need", "true"), ("declared_ratio", "")]
            }
            let bad = try await Self.post(client, path, cookies: cookies, form: form("-5"))
            #expect(bad.status == 422 && bad.html.contains("id=\"reserved_amount-error\"") && bad.html.contains("value=\"-5\""),
                    "\(bad.html)")
            let good = try await Self.post(client, path, cookies: cookies, form: form("12,000.00"))
            #expect(good.status == 303 && good.location?.contains("saved=stored") == true, "\(good.html)")
            let after = try await Self.get(client, try #require(good.location), cookies: cookies)
            #expect(after.html.contains("申报已保存") && after.html.contains("12,000.00") && after.html.contains("value=\"12000.00\""))
            // Another unit's declaration: not for this clerk.
            #expect(try await Self.post(client, "/units/\(Fixtures.unitB)/declaration?year=2024", cookies: cookies,
                                        form: form("1")).status == 403)
        }
    }
}

extension PageTests {
    /// A multipart form with `fields` and one file.
    static func multipart(_ fields: [(String, String)], file: (name: String, filename: String, text: String)) -> (String, ByteBuffer) {
        let boundary = "----setaside-test-boundary"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n"
            + "Content-Type: text/csv\r\n\r\n\(file.text)\r\n--\(boundary)--\r\n"
        return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(string: body))
    }

    static func upload(_ client: some TestClientProtocol, _ path: String, cookies: [String: String], csrf: String,
                       kind: String, csv: String) async throws -> Page {
        let (type, body) = multipart([("csrf", csrf), ("kind", kind)], file: ("file", "832订单.csv", csv))
        var headers = HTTPFields()
        headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        headers[.contentType] = type
        return try await client.execute(uri: path, method: .post, headers: headers, body: body) { response in
            Page(status: Int(response.status.code), headers: response.headers, html: String(buffer: response.body))
        }
    }

    @Test func anExportIsCheckedByADryRunThenImportedOnConfirmation() async throws {
        try await APIWorld.with { world, client, store in
            let cookies = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            let path = "/units/\(Fixtures.unitA)/upload"
            let form = try await Self.get(client, path, cookies: cookies)
            #expect(form.status == 200 && form.html.contains("enctype=\"multipart/form-data\""))
            let csrf = try #require(form.csrf)
            let export = "订单编号,下单时间,店铺名称,产地,实付金额,订单状态\nU1,2024-06-01,平鲁合作社,山西省朔州市平鲁区,66.60,交易成功\n"
                + "U2,2024-06-02,平鲁合作社,平鲁区,33.30,待付款\n"
            let dry = try await Self.upload(client, path, cookies: cookies, csrf: csrf, kind: "orders832", csv: export)
            #expect(dry.status == 200 && dry.html.contains("检查结果") && dry.html.contains("<dd>2</dd>"), "\(dry.html)")
            let count = { try await store.client.query("SELECT count(*) FROM purchases WHERE order_no LIKE 'U%'").collect()
                .first?.decode(Int.self) }
            #expect(try await count() == 0)
            let action = try #require(dry.html.range(of: #"/upload/[0-9a-f]+""#, options: .regularExpression))
            let confirmPath = path + String(dry.html[action].dropFirst("/upload".count).dropLast())
            let done = try await Self.post(client, confirmPath, cookies: cookies, form: [("csrf", dry.csrf ?? "")])
            #expect(done.status == 200 && done.html.contains("导入完成"), "\(done.html)")
            #expect(try await count() == 2)
            // Confirmed once only.
            #expect(try await Self.post(client, confirmPath, cookies: cookies, form: [("csrf", dry.csrf ?? "")]).status == 410)
            // A file with a refused row: the row named, nothing to confirm, nothing stored.
            let bad = export.replacingOccurrences(of: "U1,", with: "U3,").replacingOccurrences(of: "U2,2024-06-02", with: "U4,2024-13-02")
            let refused = try await Self.upload(client, path, cookies: cookies, csrf: csrf, kind: "orders832", csv: bad)
            #expect(refused.status == 200 && refused.html.contains("下单时间") && !refused.html.contains("/upload/"), "\(refused.html)")
            #expect(try await count() == 2)
            // Without the form's token: refused.
            #expect(try await Self.upload(client, path, cookies: cookies, csrf: "00", kind: "orders832", csv: export).status == 403)
        }
    }
}

extension PageTests {
    @Test func anInspectorRecordsFindingsAndReturnsADeclarationAndAClerkMayDoNeither() async throws {
        try await APIWorld.with { world, client, _ in
            let inspector = [PageSession.cookie: try #require(world.tokens["inspectorShanxi"])]
            let clerk = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            let id = try #require(world.ids["P1"])
            let page = try await Self.get(client, "/purchases/\(id)", cookies: inspector)
            #expect(page.status == 200 && page.html.contains("name=\"verdict\"") && page.html.contains("暂无检查意见"))
            let noReason = try await Self.post(client, "/purchases/\(id)/findings", cookies: inspector,
                                               form: [("csrf", page.csrf ?? ""), ("verdict", "reject"), ("reason", " ")])
            #expect(noReason.status == 422 && noReason.html.contains("id=\"reason-error\""), "\(noReason.html)")
            let rejected = try await Self.post(client, "/purchases/\(id)/findings", cookies: inspector,
                                               form: [("csrf", page.csrf ?? ""), ("verdict", "reject"), ("reason", "产地不符")])
            #expect(rejected.status == 303)
            let after = try await Self.get(client, "/purchases/\(id)", cookies: clerk)
            #expect(after.html.contains("不予认可") && after.html.contains("产地不符") && !after.html.contains("name=\"verdict\""))
            // A clerk may not record one.
            #expect(try await Self.post(client, "/purchases/\(id)/findings", cookies: clerk,
                                        form: [("csrf", after.csrf ?? ""), ("verdict", "accept")]).status == 403)
            // Returning unit A's declaration: a reason is needed; then the clerk sees it.
            let declaration = try await Self.get(client, "/units/\(Fixtures.unitA)/declaration?year=2024", cookies: inspector)
            #expect(declaration.html.contains("/declaration/return") && !declaration.html.contains("name=\"reserved_amount\""))
            let path = "/units/\(Fixtures.unitA)/declaration/return?year=2024"
            #expect(try await Self.post(client, path, cookies: inspector, form: [("csrf", declaration.csrf ?? ""), ("reason", "")])
                .status == 422)
            let returned = try await Self.post(client, path, cookies: inspector,
                                               form: [("csrf", declaration.csrf ?? ""), ("reason", "预留金额低于10%")])
            #expect(returned.status == 303)
            let seen = try await Self.get(client, "/units/\(Fixtures.unitA)/declaration?year=2024", cookies: clerk)
            #expect(seen.html.contains("已退回") && seen.html.contains("预留金额低于10%") && !seen.html.contains("/declaration/return"))
            #expect(try await Self.post(client, path, cookies: clerk, form: [("csrf", seen.csrf ?? ""), ("reason", "x")]).status == 403)
        }
    }
}

extension PageTests {
    @Test func theNoticeIsAPageWithTheWorkbookToDownloadAndAdminsFreezeIt() async throws {
        try await APIWorld.with { world, client, _ in
            let inspector = [PageSession.cookie: try #require(world.tokens["inspectorShanxi"])]
            let admin = [PageSession.cookie: try #require(world.tokens["admin"])]
            let clerk = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            let notice = try await Self.get(client, "/regions/140000/notice?year=2024", cookies: inspector)
            #expect(notice.status == 200 && notice.html.contains("概况") && notice.html.contains("示例单位甲"), "\(notice.html)")
            #expect(notice.html.contains("尚未冻结") && !notice.html.contains("/assessment/freeze"))
            let workbook = try await client.execute(uri: "/regions/140000/assessment.xlsx?year=2024", method: .get,
                                                    headers: [.cookie: "\(PageSession.cookie)=\(inspector.values.first!)"]) { $0 }
            #expect(workbook.status == .ok && Array(buffer: workbook.body).starts(with: [0x50, 0x4B]))
            #expect(try await Self.get(client, "/regions/140000/notice?year=2024", cookies: clerk).status == 403)
            #expect(try await Self.post(client, "/regions/140000/assessment/freeze?year=2024", cookies: inspector,
                                        form: [("csrf", notice.csrf ?? "")]).status == 403)
            let adminPage = try await Self.get(client, "/regions/140000/notice?year=2024", cookies: admin)
            let frozen = try await Self.post(client, "/regions/140000/assessment/freeze?year=2024", cookies: admin,
                                             form: [("csrf", adminPage.csrf ?? "")])
            #expect(frozen.status == 303)
            let after = try await Self.get(client, try #require(frozen.location), cookies: admin)
            #expect(after.html.contains("已冻结快照") && after.html.contains("#"), "\(after.html)")
        }
    }
}

extension PageTests {
    @Test func aSpotCheckIsDrawnFromAFormAndTheSameSeedGivesTheSameSample() async throws {
        try await APIWorld.with { world, client, _ in
            let inspector = [PageSession.cookie: try #require(world.tokens["inspectorShanxi"])]
            let path = "/regions/140000/spot-check?year=2024"
            let form = try await Self.get(client, path, cookies: inspector)
            #expect(form.status == 200 && form.html.contains("name=\"seed\""))
            func draw(_ size: String, _ seed: String) async throws -> Page {
                try await Self.post(client, "/regions/140000/spot-check", cookies: inspector,
                                    form: [("csrf", form.csrf ?? ""), ("year", "2024"), ("size", size), ("seed", seed)])
            }
            let bad = try await draw("0", "")
            #expect(bad.status == 422 && bad.html.contains("id=\"size-error\"") && bad.html.contains("id=\"seed-error\""), "\(bad.html)")
            let first = try await draw("3", "2024-12-03"), again = try await draw("3", "2024-12-03")
            func links(_ page: Page) -> [String] {
                page.html.components(separatedBy: "href=\"/purchases/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            }
            #expect(first.status == 200 && links(first).count == 3, "\(first.html)")
            #expect(links(first) == links(again))
            let clerk = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            #expect(try await Self.get(client, path, cookies: clerk).status == 403)
        }
    }
}

extension PageTests {
    @Test func theMonthlyChartAddsUpToTheYearsFigure() async throws {
        try await APIWorld.with { world, client, store in
            let clerk = [PageSession.cookie: try #require(world.tokens["clerkA"])]
            let page = try await Self.get(client, "/units/\(Fixtures.unitA)/monthly?year=2024", cookies: clerk)
            #expect(page.status == 200 && page.html.contains("<svg") && page.html.contains("12月"), "\(page.html)")
            // The last month's figure to date is the year's eligible spend, as the report has it.
            let report = try await Operations(store: store).complianceReport(
                ReportScope(year: 2024, unit: Fixtures.unitA, asOf: CalendarDate(year: 2024, month: 12, day: 31)), by: OrderExportTests.cli)
            let rule = try #require(report.units.first?.rules.first { $0.kind == .canteenShare && $0.strength == .required })
            guard case .money(let actual)? = rule.actual else { Issue.record("no actual"); return }
            let lastRow = try #require(page.html.components(separatedBy: "<th scope=\"row\">12月</th>").last)
            #expect(lastRow.contains(actual.groupedYuanString), "\(actual) in \(lastRow.prefix(300))")
            let inspector = [PageSession.cookie: try #require(world.tokens["inspectorShanxi"])]
            #expect(try await Self.get(client, "/regions/140000/monthly?year=2024", cookies: inspector).html.contains("<svg"))
            #expect(try await Self.get(client, "/regions/140000/monthly?year=2024", cookies: clerk).status == 403)
        }
    }
}

extension PageTests {
    @Test func theOverviewShowsTheSupervisingUnitsTotalsAndEachOnesOwnOverview() async throws {
        try await APIWorld.with { world, client, store in
            // Unit C reports to unit A (A is its 主管单位).
            let units = Fixtures.units.replacingOccurrences(of: "assisting\n", with: "assisting,parent_credit_code\n")
                .replacingOccurrences(of: ",false,false,false\n", with: ",false,false,false,\(Fixtures.unitA)\n")
                .replacingOccurrences(of: "true,true,true\n", with: "true,true,true,\n")
                .replacingOccurrences(of: "true,false,false\n", with: "true,false,false,\n")
            _ = try await Operations(store: store).importFile(.units, bytes: Array(units.utf8), by: OrderExportTests.cli)
            let inspector = [PageSession.cookie: try #require(world.tokens["inspectorShanxi"])]
            let grouped = try await Self.get(client, "/regions/140000?year=2024&view=supervising", cookies: inspector)
            #expect(grouped.status == 200 && grouped.html.contains("主管单位") && grouped.html.contains("/supervising/"), "\(grouped.html)")
            let own = try await Self.get(client, "/supervising/\(Fixtures.unitA)?year=2024", cookies: inspector)
            #expect(own.status == 200 && own.html.contains("示例单位甲") && own.html.contains("示例单位丙")
                    && !own.html.contains("示例单位乙"), "\(own.html)")
            #expect(!own.html.contains("/spot-check"))
            #expect(try await Self.get(client, "/supervising/\(Fixtures.unitB)?year=2024", cookies: inspector).status == 403)
        }
    }
}
