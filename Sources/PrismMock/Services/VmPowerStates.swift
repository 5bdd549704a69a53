/// The AHV power state machine behind `POST /vms/{extId}/$actions/<verb>`: which verbs a VM in
/// a given `powerState` accepts, and the state it ends in. A refused transition fails the task
/// with a VMM error (as Prism Central does), leaving the VM as it was.
enum VmPowerStates {
    enum Outcome: Equatable {
        case transition(to: String)
        case invalid(TaskMessage)
    }

    static let collection = "vmm:ahv/config/vms"

    /// nil when `verb` is not a power action.
    static func outcome(verb: String, current: String?, vmName: String) -> Outcome? {
        let state = current ?? "OFF"
        let running = state == "ON"
        switch verb {
        case "power-on":
            return state == "ON" ? refuse(verb, state, vmName) : .transition(to: "ON")
        case "power-off", "shutdown", "guest-shutdown":
            return state == "OFF" ? refuse(verb, state, vmName) : .transition(to: "OFF")
        case "reboot", "guest-reboot", "reset", "power-cycle":
            return running ? .transition(to: "ON") : refuse(verb, state, vmName)
        default:
            return nil
        }
    }

    private static func refuse(_ verb: String, _ state: String, _ vm: String) -> Outcome {
        .invalid(.error(
            "vmm", 409, 21, "INVALID_POWER_STATE_TRANSITION",
            "Cannot \(verb) VM \(vm): its power state is \(state)", [("powerState", state), ("action", verb)]))
    }
}
