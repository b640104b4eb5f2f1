// Tests of WorkerAPI.
