// The SQLiteStore module. (Placeholder until its issue lands.)
