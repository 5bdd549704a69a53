import HTTPServer

/// A response as a test client read it off the wire.
public struct TestResponse: Sendable {
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
