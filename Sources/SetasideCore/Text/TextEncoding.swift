/// The text encoding a CSV file was found to be in.
public enum TextEncoding: String, Sendable {
    /// UTF-8, with or without a byte-order mark.
    case utf8
    /// GB18030 (a superset of GBK and GB2312), as written by Excel and WPS on Chinese Windows.
    case gb18030

    /// The encoding a name (a charset label, a command-line value) means, in any case:
    /// `utf-8` or `utf8`; `gb18030`, or its subsets `gbk`, `gb2312`, `cp936`.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }

    /// The name a person (and a charset label) writes: `utf-8`, `gb18030`.
    public var label: String { self == .utf8 ? "utf-8" : "gb18030" }
}
