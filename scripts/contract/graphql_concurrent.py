"""Selection sets whose fields suspend run them concurrently (issue 11): each field must get its own
value, and no number of them, nor of clients, may take the gateway down. Run on the release build."""
import json
import threading

from graphql_checks import gql
from harness import request
from rest_tasks import create, FAR


def check_concurrent_fields(suite, g, w):
    a = create(w, {"type": "conc-a", "priority": 3, "delayMs": FAR})
    b = create(w, {"type": "conc-b", "priority": 7, "delayMs": FAR})
    ia, ib = a["id"], b["id"]

    q = '{ a: task(taskId: "%s") { id priorityValue } b: task(taskId: "%s") { id priorityValue } }' % (ia, ib)
    r, j = gql(g, q)
    suite.eq("two aliases of task() get their own tasks", j.get("data"),
             {"a": {"id": ia, "priorityValue": 3}, "b": {"id": ib, "priorityValue": 7}})

    q = ('{ first: task(taskId: "%s") { theId: id kind: type } again: task(taskId: "%s") { id } '
         'stats: taskStats { total } }' % (ia, ia))
    r, j = gql(g, q)
    data = j.get("data") or {}
    suite.check("three async root fields with aliases: each its own value",
                data.get("first") == {"theId": ia, "kind": "conc-a"} and data.get("again") == {"id": ia}
                and isinstance((data.get("stats") or {}).get("total"), int), "first/again/stats", r.text)

    ids = [create(w, {"type": "conc-many", "payload": {"n": n}, "delayMs": FAR})["id"] for n in range(160)]
    q = "{ " + " ".join('t%d: task(taskId: "%s") { id payload }' % (n, tid) for n, tid in enumerate(ids)) + " }"
    r, j = gql(g, q)
    data = j.get("data") or {}
    wrong = [n for n, tid in enumerate(ids) if data.get("t%d" % n) != {"id": tid, "payload": {"n": n}}]
    suite.check("160 async aliases each get their own task", r.status == 200 and not wrong, "no wrong alias",
                "wrong: %s" % wrong[:10])

    q = '{ task(taskId: "%s") { l1: logs(limit: 1) { message } l2: logs { level } } tasks(limit: 3) { tasks { id logs { message } } } }' % ia
    r, j = gql(g, q)
    task = (j.get("data") or {}).get("task") or {}
    suite.check("nested async fields twice, and inside a list", r.status == 200 and task.get("l1") == [{"message": "created"}]
                and task.get("l2") == [{"level": "info"}] and len(((j.get("data") or {}).get("tasks") or {}).get("tasks") or []) == 3,
                "logs in both aliases", r.text)

    results = []
    def client(k):
        for _ in range(10):
            r, j = gql(g, '{ a: task(taskId: "%s") { id } b: task(taskId: "%s") { id } }' % (ia, ib))
            results.append(j.get("data") == {"a": {"id": ia}, "b": {"id": ib}})
    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    suite.check("8 clients x 10 two-field queries all right", len(results) == 80 and all(results), "80 right",
                "%d right of %d" % (sum(results), len(results)))
    suite.eq("the gateway is still up", request(g, "GET", "/health").status, 200)
