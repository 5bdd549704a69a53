import FoundationEssentials
import OData
import PrismAPI

/// A batch item's v4 error response as the job's `errorMessages`: its AppMessages, or one
/// message summing up a SchemaValidationError.
enum ItemError {
    static func messages(_ body: JSON?, status: Int, index: Int) -> [TaskMessage] {
        let error = body?["data"]?["error"]
        if let items = error?.arrayValue {
            let messages = items.compactMap(TaskMessage.init(json:)).map { m -> TaskMessage in
                var m = m
                m.arguments.append(("httpStatus", String(status)))
                return m
            }
            if !messages.isEmpty { return messages }
        }
        if let problems = error?["validationErrorMessages"]?.arrayValue {
            let text = problems.compactMap { p -> String? in
                guard let msg = p["message"]?.stringValue else { return nil }
                return (p["attributePath"]?.stringValue).map { "\($0): \(msg)" } ?? msg
            }.joined(separator: "; ")
            return [
                .error(
                    "prism", status, 8, "SCHEMA_VALIDATION_FAILED", "item \(index): \(text)",
                    [("httpStatus", String(status))])
            ]
        }
        return [
            .error(
                "prism", status, 9, "BATCH_ITEM_FAILED", "item \(index) answered HTTP \(status)",
                [("httpStatus", String(status))])
        ]
    }
}

/// The `NTNX-Request-Id` of a batch item: derived from the batch's own id when it has one, so a
/// batch replayed with the same id replays its items too (per-item idempotency); random otherwise.
enum ItemRequestId {
    static func derive(_ batchRequestId: String?, index: Int) -> String {
        guard let batchRequestId, !batchRequestId.isEmpty else { return UUID().uuidString.lowercased() }
        let text = Array("\(batchRequestId)#\(index)".utf8)
        let hi = fnv1a(text, basis: 0xcbf2_9ce4_8422_2325)
        var lo = fnv1a(text, basis: 0x8422_2325_cbf2_9ce4)
        // RFC 9562 §5.8 (version 8, custom) with the RFC 4122 variant bits.
        lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        let h = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_8000
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, digits - s.count)) + s
        }
        return hex(h >> 32, 8) + "-" + hex((h >> 16) & 0xffff, 4) + "-" + hex(h & 0xffff, 4) + "-"
            + hex(lo >> 48, 4) + "-" + hex(lo & 0xffff_ffff_ffff, 12)
    }

    /// FNV-1a, 64 bit (http://www.isthe.com/chongo/tech/comp/fnv/).
    private static func fnv1a(_ bytes: [UInt8], basis: UInt64) -> UInt64 {
        var h = basis
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
