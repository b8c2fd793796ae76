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
        // The keys the code names: every quoted key of the pages' Swift files that a
        // catalogue is read with (`words["…"]`, `words.text("…"`, a form's labels and choices).
        let pages = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SetasideServer/Pages")
        let code = try FileManager.default.contentsOfDirectory(at: pages, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }.map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        for pattern in [#"words\["([A-Za-z_]+)"\]"#, #"words\.text\("([A-Za-z_]+)""#, #"\("[a-z]*", "([A-Za-z_]+)"\)"#,
                        #"label: "([A-Za-z_]+)""#] {
            let quoted = try NSRegularExpression(pattern: pattern)
            for match in quoted.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
                asked.insert(String(code[Range(match.range(at: 1), in: code)!]))
            }
        }
        asked.formUnion(PageController.purchaseLabels.values)
        asked.formUnion(PageController.declarationFields + PageController.waiverFields)
        // And the keys it makes from values.
        asked.formUnion([RuleStatus.met, .short, .notApplicable].map { "status_\($0.rawValue)" })
        asked.formUnion(DeclarationState.allCases.map { "declaration_\($0.rawValue)" })
        asked.formUnion(PurchaseChannel.allCases.map { "channel_\($0.rawValue)" })
        asked.formUnion(PurchaseCategory.allCases.map { "category_\($0.rawValue)" })
        asked.formUnion(PurchaseStatus.allCases.map { "purchaseStatus_\($0.rawValue)" })
        asked.formUnion(CanteenMode.allCases.map { "canteenMode_\($0.rawValue)" })
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

extension PageCatalogueTests {
    @Test func noTemplateHasAStyleAttributeOrScriptTheContentSecurityPolicyWouldRefuse() {
        for file in EmbeddedData.files where file.name.hasSuffix(".mustache") {
            #expect(!file.text.contains("style=\"") && !file.text.contains("<script") && !file.text.contains("<style"), "\(file.name)")
        }
    }
}
