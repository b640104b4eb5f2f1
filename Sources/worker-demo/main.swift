// Placeholder entry point until the worker-demo issue (#6) lands.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "cron" {
    exit(runCronCommand(Array(arguments.dropFirst())))
}
print("worker-demo: the REST service and GraphQL gateway are not built yet")
