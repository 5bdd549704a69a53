import Testing

@testable import HTTPServer

struct HTTPDateTests {
    /// The example of RFC 9110 §5.6.7 and two dates around leap days and year ends.
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_704_067_199, "Sun, 31 Dec 2023 23:59:59 GMT"),
    ])
    func formatsIMFFixdate(seconds: Int, expected: String) {
        #expect(HTTPDateCache.format(seconds) == expected)
    }
}
