// The PostgresStore module. (Placeholder until its issue lands.)
