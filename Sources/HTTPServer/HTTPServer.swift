// The HTTPServer module. (Placeholder until its issue lands.)
