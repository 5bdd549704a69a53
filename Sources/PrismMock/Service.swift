import HTTPServer

/// Real Prism behaviour for some operations, in front of the generic engine. A service answers
/// the operations it owns and returns nil for the rest.
protocol Service: Sendable {
    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse?
}
