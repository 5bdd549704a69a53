import ArgumentParser

@main
struct PCMock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pcmock",
        abstract: "A local, stateful mock of Nutanix Prism Central's v4 REST API.",
        discussion: """
            Point the official Nutanix SDKs, Ansible nutanix.ncp, Terraform or your own scripts at \
            pcmock instead of a real Prism Central. Start it with `pcmock serve`, then use \
            scheme http, host 127.0.0.1, port 9440, user admin, password Nutanix/4u.
            """,
        subcommands: [Serve.self, Report.self, IndexCatalog.self],
        defaultSubcommand: nil
    )

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.first == "serve" else { return main(nil) }
        MallocTuning.configure()  // before the catalog thread's first allocation
        CatalogPrefetch.start()
        // `serve`'s options read directly, not through the command tree; anything but a clean,
        // valid command line (help, a bad value) takes the canonical way for its exact message.
        guard let settings = ServeSettings.parse(Array(arguments.dropFirst())) else { return main(nil) }
        do {
            try Serve.launch(settings)
        } catch {
            exit(withError: error)
        }
    }
}
