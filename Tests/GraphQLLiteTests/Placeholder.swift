// Tests of GraphQLLite.
