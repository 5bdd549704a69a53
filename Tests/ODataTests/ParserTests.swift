import Testing

@testable import OData

struct ParserTests {
    @Test(arguments: [
        ("a eq 1 or b eq 2 and c eq 3", "(or (eq a 1) (and (eq b 2) (eq c 3)))"),
        ("not a eq b", "(eq (not a) b)"),
        ("a add b mul c", "(add a (mul b c))"),
        ("a sub b sub c", "(sub (sub a b) c)"),
        ("a div b divby c mod d", "(mod (divby (div a b) c) d)"),
        ("-a add 1", "(add (neg a) 1)"),
        ("- 5", "(neg 5)"),
        ("-5", "-5"),
        ("a in ('x','y') eq true", "(eq (in a 'x' 'y') true)"),
        ("a gt 1 eq true", "(eq (gt a 1) true)"),
        ("a eq b ne c", "(ne (eq a b) c)"),
        ("a and b and (c and d) or e", "(or (and a b c d) e)"),
        ("not (powerState eq 'ON')", "(not (eq powerState 'ON'))"),
        (
            "type eq Prism.Config.CategoryType'USER' and not contains(key, 'Calm')",
            "(and (eq type Prism.Config.CategoryType:'USER') (not (contains key 'Calm')))"
        ),
        ("name startswith 'Create_' and x", "(and (startswith name 'Create_') x)"),
        ("username contains 'x'", "(contains username 'x')"),
        ("disks/any(d:d/diskAddress/busType eq 'SCSI')", "(any disks d (eq d/diskAddress/busType 'SCSI'))"),
        (
            "config/clusterFunction/any(t:t eq Clustermgmt.Config.ClusterFunctionRef'AOS')",
            "(any config/clusterFunction t (eq t Clustermgmt.Config.ClusterFunctionRef:'AOS'))"
        ),
        ("clusterExtIds/any(c: c eq 'x')", "(any clusterExtIds c (eq c 'x'))"),
        ("disks/any()", "(any disks)"),
        ("a/all(x:x/b/any(y:y eq x/c))", "(all a x (any x/b y (eq y x/c)))"),
        ("name in ('scenario01')", "(in name 'scenario01')"),
        ("name in ()", "(in name)"),
        ("powerState has Vmm.PowerState'ON,OFF'", "(has powerState Vmm.PowerState:'ON,OFF')"),
        ("name EQ 'x' AND b Or NOT c", "(or (and (eq name 'x') b) (not c))"),
        ("CONTAINS(name,'x') and disks/ANY(d:d)", "(and (contains name 'x') (any disks d d))"),
        ("  name  eq\t'a'   and  b   ", "(and (eq name 'a') b)"),
        ("name eq 'it''s'", "(eq name 'it's')"),
        ("x eq 1e1a9608-79f0-4b2f-9c3d-00000000000A", "(eq x guid:1e1a9608-79f0-4b2f-9c3d-00000000000A)"),
        ("x eq 2012-12-03", "(eq x date:2012-12-03)"),
        ("x eq 2012-12-03T07:16:23.123+05:30", "(eq x dto:2012-12-03T07:16:23.123+05:30)"),
        ("x eq 07:16:23.5", "(eq x tod:07:16:23.5)"),
        ("x eq duration'P1DT2H'", "(eq x duration:'P1DT2H')"),
        ("x eq 4294967296", "(eq x 4294967296)"),
        ("x eq 1.5e10", "(eq x d:15000000000.0)"),
        ("x eq -9223372036854775808", "(eq x -9223372036854775808)"),
        ("x eq 99999999999999999999", "(eq x d:1e+20)"),
        ("x eq INF or x eq -INF", "(or (eq x d:inf) (eq x (neg d:inf)))"),
        ("x eq TRUE or x eq null", "(or (eq x true) (eq x null))"),
        ("substring(name,1,2) eq concat(a,b)", "(eq (substring name 1 2) (concat a b))"),
        ("now() gt x and matchesPattern(n,'^a')", "(and (gt (now) x) (matchesPattern n '^a'))"),
        ("isof(x,Edm.String) and isof(Edm.Int32)", "(and (isof x Edm.String) (isof  Edm.Int32))"),
        ("$it/name eq 'a'", "(eq $it/name 'a')"),
    ])
    func parsesWithSpecPrecedence(input: String, expected: String) throws {
        #expect(try parseShape(input) == expected)
    }

    @Test(arguments: [
        ("name in ('a','b' and 'c')", "$filter: expected ',' or ')' at 17, found 'and'"),
        ("name eq 'a' )", "$filter: expected an operator or end of input at 12, found ')'"),
        ("name eq", "$filter: expected an expression at 7, found 'end of input'"),
        ("name eq 'abc", "$filter: unterminated string literal at 8, found ''abc'"),
        ("foo(name) eq 1", "$filter: unknown function 'foo' at 0, found 'foo'"),
        ("contains(name)", "$filter: function 'contains' takes 2 arguments, 1 given at 0, found 'contains'"),
        ("disks/all()", "$filter: expected a property name at 10, found ')'"),
        ("name eq \"x\"", "$filter: unexpected character at 8, found '\"'"),
        ("(name eq 'a'", "$filter: expected ')' at 12, found 'end of input'"),
        ("name eq 12abc", "$filter: malformed literal at 8, found '12abc'"),
        ("x eq 2012-12-03T07:16", "$filter: malformed dateTimeOffset literal at 5, found '2012'"),
        ("name eq 'a' foo", "$filter: expected an operator or end of input at 12, found 'foo'"),
        ("a/b.c eq 1", "$filter: expected a property name, not a qualified name at 2, found 'b.c'"),
    ])
    func reportsOffsetAndToken(input: String, message: String) {
        #expect(throws: ODataError.self) { try Parser.parseFilter(input) }
        do {
            _ = try Parser.parseFilter(input)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "(", count: 150) + "a" + String(repeating: ")", count: 150)
        let nots = String(repeating: "not ", count: 150) + "a"
        let chain = "a" + String(repeating: " add a", count: 150) + " eq 1"
        for input in [deep, nots, chain] {
            do {
                _ = try Parser.parseFilter(input)
                Issue.record("accepted \(input.prefix(20))…")
            } catch {
                #expect(error.kind == .depthExceeded)
                #expect(error.description.contains("nested deeper than 100 levels"))
            }
        }
        let shallow = String(repeating: "(", count: 90) + "a" + String(repeating: ")", count: 90)
        #expect(throws: Never.self) { try Parser.parseFilter(shallow) }
    }

    @Test func longAndOrChainsAreFlatNotDeep() throws {
        let terms = (0..<2000).map { "name eq 'n\($0)'" }
        let node = try Parser.parseFilter(terms.joined(separator: " or "))
        guard case .logical(.or, let operands) = node.expression else {
            Issue.record("not an or node")
            return
        }
        #expect(operands.count == 2000)
        #expect(node.height == 3)
    }
}
