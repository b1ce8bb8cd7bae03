import Testing
@testable import BulwarkSecurity

/// Fingerprint-style SQL shape rules (SQLShapeRules.swift) and the prose they must leave alone.
@Suite("SQL shape rules")
struct ShapeRuleTests {
    let screener = InjectionScreener()

    @Test(arguments: [
        // literal / closers cut by a comment (1c, 1)c, 1;c, vc)
        "1/*", "7 --", "@version--", "1);--",
        // negative number before UNION
        "-3 union", "-1 union select 1,2",
        // literal expression cut by a comment ((sos)c, 1o1c)
        "( 'x' OR 'x' ) --", "('b' AND 2) #",
        // identical literals joined by a logical operator (1&1)
        "9 xor 9", "4 || 4",
        // CASE WHEN ... THEN, MSSQL system procedure, SELECT @variable
        "case 1 when 1 then 'a' end", "exec sp_configure", "select @v",
        // quote breakout into an SQL operator cut by a comment or `;`
        "z' or col notnull--", "q'is not null;", "x' = 1 -- -a", "\" or true--",
        // value opens with quote + logical operator; concatenation; dangling operator; glued double quote
        "' or anything goes", "x' || f('a') || '", "' or", "7\"or!\"1",
        // PostgreSQL casts and JSON operators
        "'a'::jsonb", "starts_with(name,'x')::int", "OR '{\"k\":1}' ? 'k'",
        // boolean tautology after HAVING, quoted catalog identifier, subqueries, DROP before a comment
        "id having (true or 2)", "from `pg_catalog`.x", "k'(select 1", "= (select ascii('a'))", "drop tbl;--",
    ])
    func shapesFlagged(_ input: String) {
        let v = screener.screen(input)
        #expect(v.flagged && v.injectionClass == .sqli, "\(input) -> \(v.reason)")
    }

    @Test(arguments: [
        "pages 10--20", "Apt 5#", "In case when you're late then call me", "Fix \"lowers\" -> \"lowest\" typo",
        "setting the flag to True or False", "getopt returns '?' on error", "Handle the case where \"A\" or \"B\" is written",
        "printf '%s\\n' \"$*\"", "6' or taller -- ok", "Or 'x' ? sure", "rated 4 or 5 > 3 stars", "2 > 1 and 5 < 9",
        "the answer is \"true\" or \"false\"", "1 or 2 bedrooms", "Room 1-- east wing", "exec sprint planning",
    ])
    func proseAllowed(_ input: String) {
        let v = screener.screen(input)
        #expect(!v.flagged, "\(input) -> \(v.reason)")
    }
}
