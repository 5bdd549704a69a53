import HTTPServer
import TestSupport

/// Starts a server on a free port of `host` for one test; it shuts down when released.
func startServer(
    host: String = "127.0.0.1", handler: @escaping HTTPHandler = echo,
    configure: (inout HTTPServerConfiguration) -> Void = { _ in }
) throws -> HTTPServer {
    var configuration = HTTPServerConfiguration()
    configuration.host = host
    configuration.port = 0
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: handler)
    try server.start()
    return server
}

/// Answers `<method> <target>` plus ` <body>` when there is one, so tests can tell which
/// request a response belongs to.
@Sendable func echo(_ request: HTTPRequest, _ info: ConnectionInfo) -> HTTPResponse {
    var text = "\(request.method) \(request.target)"
    if !request.body.isEmpty { text += " " + String(decoding: request.body, as: UTF8.self) }
    return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: Array(text.utf8))
}

func connect(_ server: HTTPServer, host: String = "127.0.0.1") throws -> TestClient {
    try TestClient.connect(host: host, port: server.localPort)
}

func get(_ target: String, _ extra: String = "") -> String {
    "GET \(target) HTTP/1.1\r\nHost: test\r\n\(extra)\r\n"
}
