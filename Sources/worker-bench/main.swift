print("worker-bench: no workloads yet")
