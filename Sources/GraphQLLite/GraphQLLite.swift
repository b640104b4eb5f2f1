// The GraphQLLite module. (Placeholder until its issue lands.)
