/// An approved lower ratio for a unit-year's canteen rule (a waiver): a unit that truly
/// cannot reach the required share may have a lower one approved by its central
/// department or provincial finance bureau. The rule then decides by this threshold, and
/// every place that shows the rule shows the waiver and its document.
public struct Waiver: Sendable, Hashable {
    /// The approved ratio in basis points (800 = 8.00%).
    public var basisPoints: Int
    /// The approving document's number (文号).
    public var document: String
    /// The approving body, when given.
    public var approvedBy: String?
    /// The day of approval, when given.
    public var approvedOn: CalendarDate?

    public init(basisPoints: Int, document: String, approvedBy: String? = nil, approvedOn: CalendarDate? = nil) {
        self.basisPoints = basisPoints
        self.document = document
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
    }

    /// Its JSON object, as the report and the declaration show it:
    /// `{"ratio": "8.00", "document": …, "approvedBy": … or null, "approvedOn": … or null}`.
    public var json: String {
        "{\"ratio\": \(JSONText.string(Ratio.text(basisPoints: basisPoints))), \"document\": \(JSONText.string(document)), "
            + "\"approvedBy\": \(JSONText.optional(approvedBy)), \"approvedOn\": \(JSONText.optional(approvedOn?.iso))}"
    }

    /// How a report names it: `approved lower ratio 8.00% (财库函〔2024〕1号, 省财政厅, 2024-03-01)`.
    public var description: String {
        let source = [document, approvedBy, approvedOn?.iso].compactMap { $0 }.joined(separator: ", ")
        return "approved lower ratio \(Ratio.text(basisPoints: basisPoints))% (\(source))"
    }
}

/// A ratio written as a percentage with at most two decimals (`10`, `12.5`, `8.00`),
/// held in basis points.
public enum Ratio {
    /// Basis points from a percentage of 0 to 100 with at most two decimals: one or two
    /// digits (or `100`), then optionally a point and one or two digits. No sign, no
    /// separators, no `%`.
    public static func basisPoints(parsing text: String) throws(FieldError) -> Int {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        func digits(_ s: Substring) -> Bool { s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard (1...3).contains(whole.count), digits(whole), digits(fraction), fraction.count <= 2,
              parts.count == 1 || !fraction.isEmpty, let units = Int(whole) else {
            throw FieldError(reason: "\(FieldValue.shown(text)) is not a percentage such as 10 or 12.5")
        }
        let hundredths = (Int(fraction) ?? 0) * (fraction.count == 1 ? 10 : 1)
        let value = units * 100 + hundredths
        guard value <= 10_000, whole.count < 3 || units == 100 else {
            throw FieldError(reason: "\(FieldValue.shown(text)) is not a percentage from 0 to 100")
        }
        return value
    }

    /// Basis points as a percentage with two decimals: 1250 → `12.50`.
    public static func text(basisPoints: Int) -> String {
        Money(fen: Int64(basisPoints)).yuanString
    }
}
