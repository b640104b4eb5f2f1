import Foundation

// Placeholder until the cron issue (#3) lands.
func runCronCommand(_ arguments: [String]) -> Int32 {
    FileHandle.standardError.write(Data("cron: not implemented yet\n".utf8))
    return 2
}
