/// The checks of a record that span its fields, shared by every way in (a file's row, a
/// JSON body): each decodes its fields into typed values, then builds the record here.
/// Problems name the file's columns (`village_code`); a request renames them
/// (`ImportProblem.inJSONTerms`).
extension AssignmentRecord {
    /// The unit assists `villageCode` from `yearFrom` to `yearTo`: a village (12 digits),
    /// and years in order.
    public static func checked(line: Int = 0, creditCode: CreditCode, villageCode: DivisionCode, yearFrom: Int,
                               yearTo: Int) throws(ImportError) -> AssignmentRecord {
        var problems: [ImportProblem] = []
        if villageCode.level != .village {
            problems.append(ImportProblem(line: line, field: "village_code", reason: "\(villageCode.text) is not a village code (12 digits)"))
        }
        for (column, year) in [("year_from", yearFrom), ("year_to", yearTo)] {
            do { _ = try Year(year) } catch { problems.append(ImportProblem(line: line, field: column, reason: error.reason)) }
        }
        if yearFrom > yearTo {
            problems.append(ImportProblem(line: line, field: "year_to", reason: "\(yearTo) is before year_from \(yearFrom)"))
        }
        if !problems.isEmpty { throw .rejected(problems) }
        return AssignmentRecord(line: line, creditCode: creditCode, villageCode: villageCode, yearFrom: yearFrom, yearTo: yearTo)
    }
}

extension AgreementRecord {
    /// A directed agreement of the unit with `villageCode`, valid from `validFrom` to
    /// `validTo` (both days included): a village (12 digits), and days in order.
    public static func checked(line: Int = 0, creditCode: CreditCode, villageCode: DivisionCode, validFrom: CalendarDate,
                               validTo: CalendarDate) throws(ImportError) -> AgreementRecord {
        var problems: [ImportProblem] = []
        if villageCode.level != .village {
            problems.append(ImportProblem(line: line, field: "village_code", reason: "\(villageCode.text) is not a village code (12 digits)"))
        }
        if validFrom > validTo {
            problems.append(ImportProblem(line: line, field: "valid_to", reason: "\(validTo.iso) is before valid_from \(validFrom.iso)"))
        }
        if !problems.isEmpty { throw .rejected(problems) }
        return AgreementRecord(line: line, creditCode: creditCode, villageCode: villageCode, validFrom: validFrom, validTo: validTo)
    }
}
