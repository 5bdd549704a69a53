import OData
import PrismAPI

/// A `prism.v4.error.AppMessage` in a task's `errorMessages` or a job's. Clients print
/// `errorMessages[0].message` and index it without a length check (real-clients.md §3), so
/// every FAILED or CANCELED task carries at least one.
struct TaskMessage: Sendable, Equatable {
    var message: String
    var code: String
    var errorGroup: String
    var severity = "ERROR"
    var arguments: [(String, String)] = []

    static func == (lhs: TaskMessage, rhs: TaskMessage) -> Bool {
        lhs.json() == rhs.json()
    }

    /// Codes follow the `<NAMESPACE>-<status><nn>` shape of `V4Error`.
    static func error(
        _ namespace: String, _ status: Int, _ detail: Int, _ group: String, _ message: String,
        _ arguments: [(String, String)] = []
    ) -> TaskMessage {
        let code = "\(namespace.uppercased())-\(status)\(detail < 10 ? "0" : "")\(detail)"
        return TaskMessage(message: message, code: code, errorGroup: group, arguments: arguments)
    }

    func json() -> JSON {
        var args = JSONObject()
        for (k, v) in arguments { args[k] = .string(v) }
        return .object(
            JSONObject([
                ("message", .string(message)), ("severity", .string(severity)), ("code", .string(code)),
                ("locale", .string("en_US")), ("errorGroup", .string(errorGroup)), ("argumentsMap", .object(args)),
                ("$objectType", .string("prism.v4.error.AppMessage")),
                ("$reserved", .object(JSONObject([("$fv", .string("v4.r4"))]))),
            ]))
    }

    /// Reads back an AppMessage of any namespace (an item's error inside a batch).
    init?(json: JSON) {
        guard let message = json["message"]?.stringValue else { return nil }
        self.message = message
        code = json["code"]?.stringValue ?? "PRISM-50000"
        errorGroup = json["errorGroup"]?.stringValue ?? "ERROR"
        severity = json["severity"]?.stringValue ?? "ERROR"
        for m in json["argumentsMap"]?.objectValue ?? JSONObject() {
            if let v = m.value.stringValue { arguments.append((m.key, v)) }
        }
    }

    init(
        message: String, code: String, errorGroup: String, severity: String = "ERROR",
        arguments: [(String, String)] = []
    ) {
        self.message = message
        self.code = code
        self.errorGroup = errorGroup
        self.severity = severity
        self.arguments = arguments
    }
}

/// What a `failTask` fault rule does to the task of a matching request.
struct TaskFault: Sendable, Equatable {
    var message: TaskMessage

    func json() -> JSON { message.json() }

    init(message: TaskMessage) {
        self.message = message
    }

    init?(json: JSON) {
        guard let m = TaskMessage(json: json) else { return nil }
        message = m
    }
}
