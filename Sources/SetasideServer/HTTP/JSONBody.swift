import Hummingbird
import SetasideCore

/// A JSON object body read strictly: malformed JSON is 400, unknown fields and bad
/// values are 422 with every field at fault listed, and money is a string of yuan.
struct JSONBody {
    private let object: [String: JSONValue]
    private(set) var problems: [InputProblem] = []

    /// Reads the body of `request` (at most `maxSize` bytes) as an object of the fields of `wire`.
    static func read(_ request: Request, maxSize: Int, as wire: WireBody) async throws -> JSONBody {
        try parse(try await request.body.collect(upTo: maxSize), as: wire)
    }

    /// Parses a body already collected (for writes that also keep its text).
    static func parse(_ buffer: ByteBuffer, as wire: WireBody) throws -> JSONBody {
        let allowed = wire.allowed
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: buffer.readableBytesView)
        } catch {
            throw Problem.malformed("the body is not valid JSON: \(error)")
        }
        guard case .object(let object) = parsed else { throw Problem.malformed("the body must be a JSON object") }
        var body = JSONBody(object: object)
        for key in object.keys.sorted() where !allowed.contains(key) {
            body.problems.append(InputProblem(line: 0, field: key,
                                               reason: "unknown field; the fields are \(allowed.sorted().joined(separator: ", "))"))
        }
        return body
    }

    private init(object: [String: JSONValue]) {
        self.object = object
    }

    /// Throws the validation problem when any field was at fault.
    func finish() throws {
        if !problems.isEmpty { throw Problem.validation(problems) }
    }

    mutating func problem(_ field: String, _ reason: String) {
        problems.append(InputProblem.field(field, reason))
    }

    /// A string field; nil (with a problem when required) when absent, null or not a string,
    /// and with a problem when it holds a control character or is longer than `maxLength`
    /// characters (nil: taken as it is, for a password).
    mutating func string(_ field: String, required: Bool = true, maxLength: Int? = FieldValue.maxNameLength) -> String? {
        switch object[field] {
        case .string(let text):
            guard let maxLength else { return text }
            let length = text.unicodeScalars.count
            if length > maxLength {
                problem(field, "has \(length) characters; at most \(maxLength)")
                return nil
            }
            do {
                return try FieldValue.storable(text)
            } catch {
                problem(field, error.reason)
                return nil
            }
        case nil, .null:
            if required { problem(field, "is required") }
            return nil
        default:
            problem(field, "must be a string")
            return nil
        }
    }

    /// A field that is text to us but may be sent as a string or a whole number (a
    /// seed: `42` and `"42"` are the same seed).
    mutating func text(_ field: String, required: Bool = true) -> String? {
        switch object[field] {
        case .integer(let value)? where abs(value) <= Self.largestExactInteger:
            return String(value)
        case .number(let value)? where value.rounded() == value && abs(value) <= Double(Self.largestExactInteger):
            return String(Int(value))   // 12.0 is the whole number 12
        case .integer?, .number?:
            problem(field, "is a number beyond ±\(Self.largestExactInteger): send it as text")
            return nil
        case .string?, .null?, nil:
            return string(field, required: required)
        default:
            problem(field, "must be a string or a whole number")
            return nil
        }
    }

    /// The largest whole number every JSON reader keeps exactly (2^53 − 1).
    static let largestExactInteger = 9_007_199_254_740_991

    mutating func integer(_ field: String, required: Bool = true) -> Int? {
        switch object[field] {
        case .integer(let value): return value
        // JSON has one kind of number: 12.0 is the whole number 12 (JSON Schema agrees).
        case .number(let value) where value.rounded() == value && abs(value) < 1e15: return Int(value)
        case nil, .null: if required { problem(field, "is required") }
        default: problem(field, "must be a whole number")
        }
        return nil
    }

    /// An optional `true` or `false`; nil when absent or null.
    mutating func optionalBool(_ field: String) -> Bool? {
        switch object[field] {
        case .bool(let value): return value
        case nil, .null: return nil
        default: problem(field, "must be true, false or null"); return nil
        }
    }

    /// An optional `true` or `false`; absent is false (null is neither).
    mutating func flag(_ field: String) -> Bool {
        switch object[field] {
        case .bool(let value): return value
        case nil: return false
        default: problem(field, "must be true or false"); return false
        }
    }

    /// A year of the rules, as a whole number (`Year`).
    mutating func year(_ field: String) -> Year? {
        guard let value = integer(field) else { return nil }
        do { return try Year(value) } catch {
            problem(field, error.reason)
            return nil
        }
    }

    /// Money as a string of yuan (`"1234.50"`): a JSON number could lose fen.
    mutating func money(_ field: String, required: Bool = true) -> Money? {
        switch object[field] {
        case .number?, .integer?:
            problem(field, "must be a string of yuan with at most two decimals, e.g. \"1234.50\", not a number")
            return nil
        default:
            break
        }
        guard let text = string(field, required: required) else { return nil }
        do { return try Money(parsingYuan: text) } catch {
            problem(field, "\(error)")
            return nil
        }
    }

    mutating func date(_ field: String, required: Bool = true) -> CalendarDate? {
        guard let text = string(field, required: required) else { return nil }
        do { return try CalendarDate(parsingISO: text) } catch {
            problem(field, "\(error)")
            return nil
        }
    }

    /// An optional text field through `check`: nil when absent, null or empty, else the
    /// checked value, or nil with its problem recorded under `field`.
    mutating func optional<T>(_ field: String, _ check: (String) throws(FieldError) -> T) -> T? {
        guard let text = string(field, required: false).flatMap({ FieldValue.optional($0) }) else { return nil }
        return checked(field, text, check)
    }

    /// `value` passed through `check`, or nil with its problem recorded under `field`.
    mutating func checked<T>(_ field: String, _ value: String, _ check: (String) throws(FieldError) -> T) -> T? {
        do { return try check(value) } catch {
            problem(field, error.reason)
            return nil
        }
    }

    /// A division (region) code written as a string.
    mutating func division(_ field: String, required: Bool = true) -> DivisionCode? {
        guard let text = string(field, required: required) else { return nil }
        do { return try DivisionCode(parsing: text) } catch {
            problem(field, "\(error)")
            return nil
        }
    }

    /// The unit named by the request's path, as a credit code (a problem of `creditCode`
    /// when it is not one).
    mutating func unit(_ text: String, field: String = "creditCode") -> CreditCode? {
        do { return try CreditCode(parsing: text) } catch {
            problem(field, "\(error)")
            return nil
        }
    }

    /// `choice`, or nil when the field is absent or null.
    mutating func optionalChoice<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        switch object[field] {
        case nil, .null?: nil
        default: choice(field, type)
        }
    }

    /// `choice`, or `value` when the field is absent or null.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type, default value: T) -> T?
    where T.RawValue == String {
        switch object[field] {
        case nil, .null?: value
        default: choice(field, type)
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type, required: Bool = true) -> T?
    where T.RawValue == String {
        guard let text = string(field, required: required) else { return nil }
        if let value = T(rawValue: text) { return value }
        problem(field, "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
    }
}
