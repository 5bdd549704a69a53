import HTTPServer
import OData
import PrismAPI

/// `POST /_pcmock/tasks/$actions/advance`: every pending task one step (QUEUED → RUNNING →
/// done); with `{"toCompletion":true}`, until none is pending. Answers how many steps were taken.
struct TaskAdmin {
    let scheduler: TaskScheduler

    func advance(_ request: HTTPRequest) throws -> HTTPResponse {
        var toCompletion = false
        if !request.body.isEmpty {
            let body: JSON
            do {
                body = try JSON.parse(request.body)
            } catch {
                throw V4Error.schema(
                    "prism", path: String(request.path), [.init(attributePath: "$", message: "\(error)")])
            }
            guard case .object(let o) = body, o.keys.allSatisfy({ $0 == "toCompletion" }) else {
                throw V4Error.schema(
                    "prism", path: String(request.path),
                    [
                        .init(attributePath: "$", message: #"must be {} or {"toCompletion":true|false}"#)
                    ])
            }
            if let v = o["toCompletion"] {
                guard let b = v.boolValue else {
                    throw V4Error.schema(
                        "prism", path: String(request.path),
                        [
                            .init(attributePath: "toCompletion", message: "must be a boolean")
                        ])
                }
                toCompletion = b
            }
        }
        let steps = try scheduler.advance(toCompletion: toCompletion)
        return .json(200, #"{"steps":\#(steps)}"#)
    }
}
