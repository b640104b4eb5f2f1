// Tests of TaskCore.
