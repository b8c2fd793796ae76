import Mustache

/// The pages' Mustache templates (`Pages/Templates/*.mustache`) and stylesheet, embedded
/// in the binary and parsed once. `{{…}}` escapes HTML; nothing is rendered unescaped.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for file in EmbeddedData.files where file.name.hasSuffix(".mustache") {
            do {
                try library.register(file.text, named: String(file.name.dropLast(".mustache".count)))
            } catch {
                // The templates are part of the build, and a test renders each of them.
                preconditionFailure("the page template \(file.name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// The names of the templates embedded.
    static var names: [String] {
        EmbeddedData.files.filter { $0.name.hasSuffix(".mustache") }.map { String($0.name.dropLast(".mustache".count)) }
    }

    /// The page `name` rendered with `values`.
    static func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }

    /// The one stylesheet.
    static let stylesheet: String = EmbeddedData.files.first { $0.name == "site.css" }?.text ?? ""
}
