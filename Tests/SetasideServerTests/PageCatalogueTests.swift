import Foundation
import SetasideCore
@testable import SetasideServer
import Testing

/// Every word of the pages is in both catalogues, and every key the templates and the
/// code ask for is in them: a missing key fails here, not on a reader's screen.
@Suite struct PageCatalogueTests {
    @Test func bothCataloguesHaveTheSameKeys() {
        let zh = Set(PageCatalogue.zh.words.keys), en = Set(PageCatalogue.en.words.keys)
        #expect(!zh.isEmpty)
        #expect(zh.subtracting(en).isEmpty, "missing in English: \(zh.subtracting(en).sorted())")
        #expect(en.subtracting(zh).isEmpty, "missing in Chinese: \(en.subtracting(zh).sorted())")
    }

    @Test func everyKeyTheTemplatesAndCodeAskForIsThere() throws {
        var asked: Set<String> = []
        for file in EmbeddedData.files where file.name.hasSuffix(".mustache") {
            let pattern = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([A-Za-z_]+)\}\}"#)
            let text = file.text
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                asked.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(asked.count > 20)
        // The keys the code makes from values.
        asked.formUnion([RuleStatus.met, .short, .notApplicable].map { "status_\($0.rawValue)" })
        asked.formUnion(DeclarationState.allCases.map { "declaration_\($0.rawValue)" })
        asked.formUnion(["filterAll", "filterShort", "filterUndeclared", "sortName", "sortShortfall", "unitsShown", "unitsShort",
                         "unitsUndeclared", "formExpired", "forbidden", "notFound", "unavailable", "badRequest", "internalError",
                         "wrongLogin", "tooManyLogins", "fieldRequired", "yuan"])
        for catalogue in [PageCatalogue.zh, PageCatalogue.en] {
            let missing = asked.filter { catalogue.words[$0] == nil }
            #expect(missing.isEmpty, "missing: \(missing.sorted())")
        }
    }

    @Test func noTemplateLooksAnArrayUpByIndex() {
        // swift-mustache does not resolve `{{#list.0}}`: a section on it is never shown.
        for file in EmbeddedData.files where file.name.hasSuffix(".mustache") {
            #expect(file.text.range(of: #"\.[0-9]+\}\}"#, options: .regularExpression) == nil, "\(file.name)")
        }
    }

    @Test func everyTemplateParsesAndRendersEscaped() {
        #expect(Set(PageTemplates.names).isSuperset(of: ["layout", "sign-in", "dashboard", "overview", "error"]))
        let visit: [String: Any] = ["t": PageCatalogue.zh.words, "lang": "zh-Hans", "message": "<script>alert(1)</script>"]
        let html = PageTemplates.render("error", visit)
        #expect(html.contains("&lt;script&gt;") && !html.contains("<script>"))
        #expect(html.contains("出错了") && html.contains("/assets/site.css"))
    }
}
