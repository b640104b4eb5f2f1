// The Scheduling module. (Placeholder until its issue lands.)
