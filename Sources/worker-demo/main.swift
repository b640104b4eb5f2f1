// worker-demo: the worker REST API and the GraphQL gateway (API.md section 4).
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "cron" {
    exit(runCronCommand(Array(arguments.dropFirst())))
}
do {
    let options = try Options.parse(arguments, environment: ProcessInfo.processInfo.environment)
    if options.showHelp {
        print(Options.usage)
        exit(0)
    }
    exit(try await DemoApp.run(options))
} catch let error as Options.UsageError {
    FileHandle.standardError.write(Data("worker-demo: \(error.message)\n\n\(Options.usage)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("worker-demo: \(error)\n".utf8))
    exit(1)
}
