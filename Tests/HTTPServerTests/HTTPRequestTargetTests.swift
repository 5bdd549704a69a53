import HTTPServer
import Testing

/// `path` and `query` split the target at its first `?`, and follow it when it changes.
struct HTTPRequestTargetTests {
    @Test(arguments: [
        ("/a/b?x=1&y=2", "/a/b", "x=1&y=2" as String?), ("/a/b", "/a/b", nil), ("/?", "/", ""),
        ("/p?q?r", "/p", "q?r"), ("?only", "", "only"), ("/é/x?v=ü", "/é/x", "v=ü"),
    ])
    func splitsAtTheFirstQuestionMark(target: String, path: String, query: String?) {
        let request = HTTPRequest(method: "GET", target: target)
        #expect(request.path == path)
        #expect(request.query.map(String.init) == query)
    }

    @Test func followsAChangedTarget() {
        var request = HTTPRequest(method: "GET", target: "/a?b")
        request.target = "/longer/path?c=d"
        #expect(request.path == "/longer/path")
        #expect(request.query == "c=d")
        request.target = "/none"
        #expect(request.query == nil)
    }
}
