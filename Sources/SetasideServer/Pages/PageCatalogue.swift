/// A language the pages are shown in. Simplified Chinese unless the reader chose English
/// (a cookie set by the switch in the page header).
enum PageLanguage: String, CaseIterable, Sendable {
    case zh, en

    /// The cookie that keeps the reader's choice.
    static let cookie = "setaside_lang"

    /// The language of `code` (a cookie's value), Chinese for anything else.
    init(code: String?) {
        self = code.flatMap(PageLanguage.init(rawValue:)) ?? .zh
    }

    /// The page's `lang` attribute.
    var tag: String { self == .zh ? "zh-Hans" : "en" }

    var catalogue: PageCatalogue {
        switch self {
        case .zh: PageCatalogue.zh
        case .en: PageCatalogue.en
        }
    }
}

/// Every label and message of the pages in one language, from its catalogue
/// (`Pages/Catalogue/LANGUAGE.catalogue`, embedded in the binary): one `key = text` a line,
/// `#` starting a comment; `{n}` in a text is filled in with a number.
struct PageCatalogue: Sendable {
    let words: [String: String]

    static let zh = PageCatalogue(file: "zh.catalogue")
    static let en = PageCatalogue(file: "en.catalogue")

    init(file: String) {
        words = Self.parse(EmbeddedData.files.first { $0.name == file }?.text ?? "")
    }

    /// The text of `key`; the key itself, bracketed, when the catalogue lacks it (a test
    /// makes sure none does).
    subscript(key: String) -> String { words[key] ?? "[\(key)]" }

    /// The text of `key` with `{n}` replaced by `n`.
    func text(_ key: String, _ n: Int) -> String {
        text(key, ["n": String(n)])
    }

    /// The text of `key` with each `{name}` of `values` replaced by its value.
    func text(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// The entries of a catalogue's text.
    static func parse(_ text: String) -> [String: String] {
        var words: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " }
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if !key.isEmpty { words[key] = value }
        }
        return words
    }
}
