import ArgumentParser
import CCSyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GitCCSync {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List synced sessions: id, last change, machine, size, project and title.",
            discussion: """
                Reads the working copy (or, with --remote, the remote branch as last fetched, through \
                libgit2 without checking it out). Newest first. --format json prints every field for scripts.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

        @OptionGroup var copyOptions: WorkingCopyOptions

        @Flag(help: "List the remote branch (as of the last fetch) instead of the working copy.")
        var remote = false

        @Flag(help: "Include projects outside the synced directories.")
        var all = false

        @Option(help: ArgumentHelp("Only sessions last changed by this machine.", valueName: "machine"))
        var from: String?

        @Option(help: "Output format: table or json.")
        var format: Format = .table

        func run() throws {
            let copy = try copyOptions.open()
            let catalog = try SessionCatalog(copy: copy)
            var rows = remote ? try catalog.remote() : try catalog.local()
            if !all { rows = rows.filter(\.synced) }
            if let from {
                let wanted = try MachineID(from, location: "--from")
                rows = rows.filter { row in row.machine.flatMap { try? MachineID($0) } == wanted }
            }
            switch format {
            case .json:
                try CLIContext.printJSON(rows)
            case .table:
                if rows.isEmpty {
                    CLIContext.print(remote ? "no sessions on the remote branch (run 'git ccsync pull' to fetch)"
                                            : "no sessions yet (run 'git ccsync push' on a machine that has some)")
                    return
                }
                let width = TerminalWidth.columns
                CLIContext.print(Self.fit(Self.pad("ID", 10) + Self.pad("MODIFIED", 18) + Self.pad("MACHINE", 13) + Self.pad("SIZE", 6, right: true) + "  PROJECT: TITLE", width))
                for row in rows { CLIContext.print(Self.fit(Self.line(row), width)) }
            }
        }

        static func line(_ row: SessionCatalog.Row) -> String {
            let modified = row.lastModified.map { String($0.prefix(16)).replacing("T", with: " ") } ?? "-"
            let project = row.project.replacing("{{", with: "").replacing("}}", with: "")
            return pad(String(row.id.prefix(8)), 10) + pad(modified, 18) + pad(String((row.machine ?? "-").prefix(12)), 13)
                + pad(ByteCount.short(row.size), 6, right: true) + "  " + project + ": " + (row.title ?? "(untitled)")
        }

        static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            guard s.count < n else { return s }
            let fill = String(repeating: " ", count: n - s.count)
            return right ? fill + s : s + fill
        }

        static func fit(_ s: String, _ width: Int) -> String {
            s.count <= width ? s : String(s.prefix(width - 1)) + "…"
        }
    }
}

enum ByteCount {
    static func short(_ n: Int) -> String {
        if n < 1000 { return "\(n)B" }
        let units = ["K", "M", "G"]
        var value = Double(n) / 1024
        for unit in units {
            if value < 10 {
                let tenths = Int((value * 10).rounded())  // one decimal, as "%.1f" would print it
                return "\(tenths / 10).\(tenths % 10)\(unit)"
            }
            if value < 1000 { return "\(Int(value.rounded()))\(unit)" }
            value /= 1024
        }
        return "\(Int(value))T"
    }
}

enum TerminalWidth {
    /// The terminal's width when stdout is one, else 80 (also the most a table row uses in pipes).
    static var columns: Int {
        if let size = Terminal.size(1), size.columns >= 40 { return size.columns }
        return 80
    }
}
