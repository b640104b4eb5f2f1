-- wrk script for W3 POST: creates a task per request (WORKLOADS.md W3).
-- wrk -t2 -c64 -d10s --latency -s scripts/post_task.lua http://127.0.0.1:4001/api/tasks
wrk.method = "POST"
wrk.body = '{"type":"email","payload":{},"priority":5}'
wrk.headers["Content-Type"] = "application/json"
