// A minimal reproduction of a Swift 6.3.1 optimiser fault (issue 11; Docs/COMPILER_FAULTS.md).
// A task-group child that returns a tuple built inside `do`/`catch` around a typed-throwing call
// returns wrong values under -O: every slot but one stays empty and slot 0 gets the value of the
// child that finished last. Binding the value first (`bound`) is correct under -O and -Onone.
// Prints two lines, "faulty: ..." and "bound: ...", each "v0 v1 v2" when correct.
struct Bubble: Error {}
indirect enum Value: Sendable { case null, string(String), list([Value]) }

struct Runner: Sendable {
    func produce(_ index: Int) async throws(Bubble) -> Value {
        await Task.yield()
        if index < 0 { throw Bubble() }
        return .list([.string("v\(index)")])
    }

    func faulty() async -> [Value] {
        var values = [Value](repeating: .null, count: 3)
        await withTaskGroup(of: (Int, Value?).self) { group in
            for index in 0..<3 {
                group.addTask {
                    do {
                        return (index, try await self.produce(index))
                    } catch {
                        return (index, nil)
                    }
                }
            }
            for await (index, value) in group { if let value { values[index] = value } }
        }
        return values
    }

    func bound() async -> [Value] {
        var values = [Value](repeating: .null, count: 3)
        await withTaskGroup(of: (Int, Value?).self) { group in
            for index in 0..<3 {
                group.addTask {
                    let value: Value?
                    do { value = try await self.produce(index) } catch { value = nil }
                    return (index, value)
                }
            }
            for await (index, value) in group { if let value { values[index] = value } }
        }
        return values
    }
}

func describe(_ values: [Value]) -> String {
    values.map { value -> String in
        if case .list(let items) = value, case .string(let text)? = items.first { return text }
        return "null"
    }.joined(separator: " ")
}

@main struct Main {
    static func main() async {
        let runner = Runner()
        print("faulty: \(describe(await runner.faulty()))")
        print("bound: \(describe(await runner.bound()))")
    }
}
