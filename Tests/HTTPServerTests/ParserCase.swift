@testable import HTTPServer

/// What a test expects the parser to produce, written by hand (never derived from the parser).
enum Outcome: Equatable, CustomStringConvertible {
    case request(method: String, target: String, version: String, headers: [String], body: String, trailers: [String])
    case error(Int)

    static func get(_ target: String, headers: [String] = ["Host: a"]) -> Outcome {
        .request(method: "GET", target: target, version: "HTTP/1.1", headers: headers, body: "", trailers: [])
    }

    init(_ request: HTTPRequest) {
        self = .request(
            method: request.method, target: request.target, version: request.version.description,
            headers: request.headers.map { "\($0.name): \($0.value)" },
            body: String(decoding: request.body, as: UTF8.self),
            trailers: request.trailers.map { "\($0.name): \($0.value)" })
    }

    var description: String {
        switch self {
        case .request(let method, let target, let version, let headers, let body, let trailers):
            "\(method) \(target) \(version) \(headers) body=\(body.debugDescription) trailers=\(trailers)"
        case .error(let status): "error \(status)"
        }
    }
}

struct ParserCase: Sendable, CustomStringConvertible {
    var name: String
    var input: [UInt8]
    var expected: [Outcome]

    init(_ name: String, _ input: String, _ expected: [Outcome]) {
        self.name = name
        self.input = Array(input.utf8)
        self.expected = expected
    }

    var description: String { name }

    /// Small limits so that every limit case stays short enough to split every way.
    static let limits = HTTPParserLimits(
        maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 5, maxBodyBytes: 64)

    /// Feeds `chunks` one after another and collects requests until the first error.
    static func run(_ chunks: [ArraySlice<UInt8>], limits: HTTPParserLimits = limits) -> [Outcome] {
        var parser = HTTPParser(limits: limits)
        var outcomes: [Outcome] = []
        for chunk in chunks {
            parser.append(chunk)
            while true {
                do {
                    guard let event = try parser.next() else { break }
                    if case .request(let request) = event { outcomes.append(Outcome(request)) }
                } catch {
                    outcomes.append(.error(error.status))
                    return outcomes
                }
            }
        }
        return outcomes
    }
}

extension Outcome: Sendable {}
