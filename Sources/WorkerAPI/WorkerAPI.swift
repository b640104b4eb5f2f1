// The WorkerAPI module. (Placeholder until its issue lands.)
