/// The rows of an xlsx sheet (`xl/worksheets/sheetN.xml`), fed a chunk at a time: each
/// row's cells as text by column (shared strings looked up, inline strings read, numbers
/// and dates as the numbers stored, booleans as TRUE / FALSE), numbered by the sheet's
/// row numbers.
public struct SheetRows {
    private var events = XMLEvents()
    private let shared: [String]
    private var cells: [Int: String] = [:]
    private var rowNumber = 0
    private var nextRow = 1
    private var column = 0
    private var type = ""
    private var value = ""
    private var inValue = false
    private var inText = false

    public init(sharedStrings: [String]) {
        shared = sharedStrings
    }

    /// The rows completed by `chunk`.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [CSVRow] {
        var rows: [CSVRow] = []
        for event in events.feed(chunk) {
            switch event {
            case .start(let name, let attributes, let selfClosing):
                switch XMLEvents.Event.local(name) {
                case "row":
                    rowNumber = attributes["r"].flatMap { Int($0) } ?? nextRow
                    nextRow = rowNumber + 1
                    cells = [:]
                    column = 0
                    if selfClosing { rows.append(CSVRow(line: rowNumber, fields: [])) }
                case "c":
                    column = attributes["r"].flatMap(Self.column) ?? column + 1
                    type = attributes["t"] ?? "n"
                    value = ""
                case "v": inValue = !selfClosing
                case "t": inText = !selfClosing
                default: break
                }
            case .end(let name):
                switch XMLEvents.Event.local(name) {
                case "v": inValue = false
                case "t": inText = false
                case "c":
                    let text: String
                    switch type {
                    case "s": text = Int(value).flatMap { $0 < shared.count ? shared[$0] : nil } ?? ""
                    case "b": text = value == "1" ? "TRUE" : "FALSE"
                    default: text = value
                    }
                    if !text.isEmpty { cells[column] = text }
                case "row":
                    let width = (cells.keys.max() ?? 0)
                    rows.append(CSVRow(line: rowNumber, fields: width == 0 ? [] : (1...width).map { cells[$0] ?? "" }))
                default: break
                }
            case .text(let text):
                if inValue || inText { value += text }
            }
        }
        return rows
    }

    /// A cell reference's column, from 1 (`B7` → 2, `AA1` → 27).
    static func column(_ reference: String) -> Int? {
        var number = 0
        for scalar in reference.unicodeScalars {
            guard scalar.properties.isAlphabetic, scalar.isASCII else { break }
            number = number * 26 + Int(scalar.value & 0x1F)
        }
        return number > 0 ? number : nil
    }

    /// The strings of `xl/sharedStrings.xml`, in order (rich text runs joined).
    public static func sharedStrings(_ bytes: [UInt8]) -> [String] {
        var events = XMLEvents()
        var strings: [String] = [], current = "", inItem = false, inText = false, inPhonetic = false
        for event in events.feed(bytes) {
            switch event {
            case .start(let name, _, let selfClosing):
                switch XMLEvents.Event.local(name) {
                case "si":
                    current = ""
                    inItem = !selfClosing
                    if selfClosing { strings.append("") }
                case "t": inText = !selfClosing
                case "rPh": inPhonetic = true
                default: break
                }
            case .end(let name):
                switch XMLEvents.Event.local(name) {
                case "si":
                    strings.append(current)
                    inItem = false
                case "t": inText = false
                case "rPh": inPhonetic = false
                default: break
                }
            case .text(let text):
                if inItem, inText, !inPhonetic { current += text }
            }
        }
        return strings
    }
}
