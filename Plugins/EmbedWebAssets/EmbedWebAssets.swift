import Foundation
import PackagePlugin

/// Turns the web pages under `Web/` (one folder per page: `index.html` plus the CSS and JS it
/// links; or a JSON document named after its folder, `Web/openapi/openapi.json`) into one generated Swift file, so the pages are real files in the repository but the
/// binary is self-contained. Runs `embed-web-assets` whenever one of the files changes.
@main
struct EmbedWebAssets: BuildToolPlugin {
    /// The pages (folders of `Web/`) that are embedded.
    static let pages = ["dashboard", "playground", "openapi"]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let web = context.package.directoryURL.appending(path: "Web")
        var inputs: [URL] = []
        for page in Self.pages {
            let folder = web.appending(path: page)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            inputs += names.filter { !$0.hasPrefix(".") }.map { folder.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "WebPages+Generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding the web pages of Web/",
                executable: try context.tool(named: "embed-web-assets").url,
                arguments: [web.path, output.path] + Self.pages,
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
