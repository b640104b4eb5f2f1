print("worker-demo: not yet built")
