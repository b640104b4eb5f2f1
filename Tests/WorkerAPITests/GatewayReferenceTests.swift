import Foundation
import TaskCore
import Testing
import WorkerAPI

/// Every GraphQL query and mutation of the reference's quick reference
/// (`/work/shared/seed/000_c6385ae614d19875.txt`), sent verbatim.
@Suite(.timeLimit(.minutes(1)))
struct GatewayReferenceTests {
    static let getAllTasks = """
        query {
          tasks {
            tasks {
              id
              type
              status
              createdAt
            }
            total
          }
        }
        """
    static let getTask = """
        query {
          task(taskId: "1") {
            id
            type
            status
            payload
            error
          }
        }
        """
    static let getAllJobs = """
        query {
          jobs {
            id
            name
            schedule
            status
            nextRun
          }
        }
        """
    static let getJob = """
        query {
          job(jobId: "1") {
            id
            name
            schedule
            status
            lastRun
            nextRun
          }
        }
        """
    static let createTask = """
        mutation {
          createTask(input: {
            type: "email"
            payload: {}
            priority: NORMAL
          }) {
            id
            type
            status
          }
        }
        """
    static let cancelTask = """
        mutation {
          cancelTask(taskId: "1")
        }
        """
    static let createJob = """
        mutation {
          createJob(input: {
            name: "Daily Backup"
            type: "backup"
            schedule: "0 0 * * *"
            payload: {}
          }) {
            id
            name
            status
          }
        }
        """
    static let pauseJob = """
        mutation {
          pauseJob(jobId: "1")
        }
        """
    static let resumeJob = """
        mutation {
          resumeJob(jobId: "1")
        }
        """
    static let deleteJob = """
        mutation {
          deleteJob(jobId: "1")
        }
        """

    @Test func theReferenceSessionRunsFromStartToEnd() async {
        let backend = GatewayTestBackend.make()
        let client = GatewayClient(backend: backend)

        // Create task
        let created = await client.post(Self.createTask)
        #expect(created.status == 200)
        #expect(created.errors.isEmpty)
        #expect(created.data == ["createTask": ["id": "1", "type": "email", "status": "PENDING"]])

        // Get all tasks
        let all = await client.post(Self.getAllTasks)
        #expect(all.status == 200)
        #expect(all.errors.isEmpty)
        let tasks = all.data?["tasks"]?["tasks"]?.arrayValue ?? []
        #expect(all.data?["tasks"]?["total"] == 1)
        #expect(tasks.count == 1)
        #expect(tasks.first?["id"] == "1")
        #expect(tasks.first?["type"] == "email")
        #expect(tasks.first?["status"] == "PENDING")
        let createdAt = tasks.first?["createdAt"]?.stringValue ?? ""
        #expect(Timestamp.parse(createdAt) != nil && createdAt.hasSuffix("Z") && createdAt.count == 24)

        // Get specific task
        let one = await client.post(Self.getTask)
        #expect(one.errors.isEmpty)
        #expect(one.data == ["task": ["id": "1", "type": "email", "status": "PENDING", "payload": [:], "error": nil]])

        // Cancel task
        let cancelled = await client.post(Self.cancelTask)
        #expect(cancelled.status == 200)
        #expect(cancelled.data == ["cancelTask": true])
        #expect(await client.post(Self.getTask).data?["task"]?["status"] == "CANCELLED")

        // Create job
        let job = await client.post(Self.createJob)
        #expect(job.errors.isEmpty)
        #expect(job.data == ["createJob": ["id": "1", "name": "Daily Backup", "status": "ACTIVE"]])

        // Get all jobs
        let jobs = await client.post(Self.getAllJobs)
        #expect(jobs.errors.isEmpty)
        let listed = jobs.data?["jobs"]?.arrayValue ?? []
        #expect(listed.count == 1)
        #expect(listed.first?["name"] == "Daily Backup")
        #expect(listed.first?["schedule"] == "0 0 * * *")
        #expect(listed.first?["status"] == "ACTIVE")
        let nextRun = listed.first?["nextRun"]?.stringValue ?? ""
        #expect(nextRun.hasSuffix("T00:00:00.000Z"))

        // Get specific job
        let oneJob = await client.post(Self.getJob)
        #expect(oneJob.errors.isEmpty)
        #expect(oneJob.data?["job"]?["id"] == "1")
        #expect(oneJob.data?["job"]?["lastRun"] == .null)

        // Pause job
        #expect(await client.post(Self.pauseJob).data == ["pauseJob": true])
        let paused = await client.post(Self.getJob)
        #expect(paused.data?["job"]?["status"] == "PAUSED")
        #expect(paused.data?["job"]?["nextRun"] == .null)

        // Resume job
        #expect(await client.post(Self.resumeJob).data == ["resumeJob": true])
        let resumed = await client.post(Self.getJob)
        #expect(resumed.data?["job"]?["status"] == "ACTIVE")
        #expect(resumed.data?["job"]?["nextRun"]?.stringValue?.hasSuffix("T00:00:00.000Z") == true)

        // Delete job
        #expect(await client.post(Self.deleteJob).data == ["deleteJob": true])
        let gone = await client.post(Self.getJob)
        #expect(gone.data == ["job": nil])
        #expect(gone.errorCodes == ["NOT_FOUND"])
    }

    @Test(arguments: [getAllTasks, getTask, getAllJobs, getJob])
    func everyReferenceQueryAlsoWorksOverGET(query: String) async {
        let backend = GatewayTestBackend.make()
        let client = GatewayClient(backend: backend)
        _ = await client.post(Self.createTask)
        _ = await client.post(Self.createJob)
        let viaGET = await client.get(query)
        let viaPOST = await client.post(query)
        #expect(viaGET.status == 200)
        #expect(viaGET.errors.isEmpty)
        #expect(viaGET.json == viaPOST.json)
    }

    @Test(arguments: [createTask, cancelTask, createJob, pauseJob, resumeJob, deleteJob])
    func everyReferenceMutationIsRefusedOverGET(mutation: String) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.get(mutation)
        #expect(answer.status == 405)
        #expect(answer.header("Allow") == "POST")
        #expect(answer.json["data"] == nil)
        #expect(answer.errors.first?["message"] == "Can only perform a mutation operation from a POST request.")
        #expect(answer.errorCodes == ["BAD_REQUEST"])
    }
}
