import Foundation
import TaskCore

/// The WHERE clause of a task search (contract section 7) with its parameters, numbered from `$1`.
///
/// The payload filter is `payload::jsonb @> pattern`, served by the GIN index `worker_tasks_payload`
/// (`jsonb_path_ops`); since `@>` treats arrays as sets, every array in the pattern is also
/// compared for equality at its path (`#>`), which keeps the contract's rule (arrays equal).
struct PostgresTaskFilter {
    var conditions: [String] = []
    var parameters: [PGParameter] = []

    init(_ query: TaskQuery) {
        if !query.statuses.isEmpty {
            conditions.append("status = ANY(\(add(.stringArray(query.statuses.map(\.rawValue).sorted())))::text[])")
        }
        if let type = query.type { conditions.append("type = \(add(.string(type)))") }
        if let jobId = query.jobId { conditions.append("job_id = \(add(.int64(jobId.rawValue)))::bigint") }
        if let batchId = query.batchId { conditions.append("batch_id = \(add(.int64(batchId.rawValue)))::bigint") }
        if let after = query.createdAfter {
            conditions.append(
                "created_at > \(add(.int64(Int64((after.timeIntervalSince1970 * 1000).rounded(.down)))))::bigint")
        }
        if let before = query.createdBefore {
            conditions.append(
                "created_at < \(add(.int64(Int64((before.timeIntervalSince1970 * 1000).rounded(.up)))))::bigint")
        }
        if let dependency = query.dependsOn {
            conditions.append(
                "id IN (SELECT task_id FROM worker_task_dependencies WHERE dependency_id = \(add(.int64(dependency.rawValue)))::bigint)")
        }
        if let ids = query.ids {
            conditions.append("id = ANY(\(add(.array(ids.map { String($0.rawValue) })))::bigint[])")
        }
        if let beforeID = query.beforeID { conditions.append("id < \(add(.int64(beforeID.rawValue)))::bigint") }
        if let payload = query.payload {
            conditions.append("payload::jsonb @> \(add(.string(PGJSON.encode(payload))))::jsonb")
            addArrayEqualities(payload, path: [])
        }
        if conditions.isEmpty { conditions.append("true") }
    }

    private mutating func add(_ parameter: PGParameter) -> String {
        parameters.append(parameter)
        return "$\(parameters.count)"
    }

    private mutating func addArrayEqualities(_ pattern: JSONValue, path: [String]) {
        switch pattern {
        case .object(let members):
            for (key, value) in members.sorted(by: { $0.key < $1.key }) { addArrayEqualities(value, path: path + [key]) }
        case .array:
            conditions.append(
                "payload::jsonb #> \(add(.stringArray(path)))::text[] = \(add(.string(PGJSON.encode(pattern))))::jsonb")
        default:
            break
        }
    }

    /// The conditions joined with AND.
    var sql: String { conditions.joined(separator: " AND ") }
}

extension NewTask {
    /// Whether the draft sets a workflow field (then it is created one by one and placed).
    var hasWorkflowFields: Bool { !dependsOn.isEmpty || batchId != nil || onDependencyFailure != .cancel }
}
