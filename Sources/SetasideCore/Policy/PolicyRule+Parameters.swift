import Foundation

/// The JSON form of a rule's parameters, as stored in `policy_rules.parameters`.
struct RuleParameters: Codable {
    var kind: RuleKind
    var name: String
    /// Absent means `required`.
    var strength: RuleStrength?
    var thresholdBasisPoints: Int?
    var encouragedBasisPoints: Int?
    var encouragedFromYear: Int?
    var allowedChannels: [PurchaseChannel]?
    var eligibleCategories: [PurchaseCategory]?
    var minimumFen: Int64?
    var unitLevels: [UnitLevel]?
    var requiredCount: Int?
    var targetCount: Int?
}

/// A rule's parameters that do not make a usable rule.
public enum PolicyRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedParameters(rule: String, reason: String)
    case missingParameter(rule: String, parameter: String)

    public var description: String {
        switch self {
        case .malformedParameters(let rule, let reason):
            "policy rule \(rule): parameters are not valid JSON for a rule: \(reason)"
        case .missingParameter(let rule, let parameter):
            "policy rule \(rule): parameter \(parameter) is required for its kind"
        }
    }
}

extension PolicyRule {
    /// Reads a rule from its id and the JSON parameters stored with it.
    public init(id: String, parametersJSON: String) throws(PolicyRuleError) {
        let parameters: RuleParameters
        do {
            parameters = try JSONDecoder().decode(RuleParameters.self, from: Data(parametersJSON.utf8))
        } catch {
            throw .malformedParameters(rule: id, reason: "\(error)")
        }
        self.init(
            id: id, name: parameters.name, kind: parameters.kind, strength: parameters.strength ?? .required,
            thresholdBasisPoints: parameters.thresholdBasisPoints,
            encouragedBasisPoints: parameters.encouragedBasisPoints, encouragedFromYear: parameters.encouragedFromYear,
            allowedChannels: parameters.allowedChannels.map(Set.init),
            eligibleCategories: parameters.eligibleCategories.map(Set.init),
            minimum: parameters.minimumFen.map(Money.init(fen:)),
            unitLevels: parameters.unitLevels.map(Set.init),
            requiredCount: parameters.requiredCount, targetCount: parameters.targetCount
        )
        switch kind {
        case .canteenShare, .directedShare, .unionShare:
            if thresholdBasisPoints == nil { throw .missingParameter(rule: id, parameter: "thresholdBasisPoints") }
        case .festivals:
            if requiredCount == nil { throw .missingParameter(rule: id, parameter: "requiredCount") }
        case .packing:
            if minimum == nil { throw .missingParameter(rule: id, parameter: "minimumFen") }
            if unitLevels == nil { throw .missingParameter(rule: id, parameter: "unitLevels") }
        }
    }

    /// The rule's parameters as JSON with sorted keys, for display.
    public var parametersJSON: String {
        let parameters = RuleParameters(
            kind: kind, name: name, strength: strength == .required ? nil : strength,
            thresholdBasisPoints: thresholdBasisPoints,
            encouragedBasisPoints: encouragedBasisPoints, encouragedFromYear: encouragedFromYear,
            allowedChannels: allowedChannels.map { $0.sorted { $0.rawValue < $1.rawValue } },
            eligibleCategories: eligibleCategories.map { $0.sorted { $0.rawValue < $1.rawValue } },
            minimumFen: minimum?.fen, unitLevels: unitLevels.map { $0.sorted { $0.rawValue < $1.rawValue } },
            requiredCount: requiredCount, targetCount: targetCount
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(parameters)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
