import GraphQLLite
import Testing

// The complete example of Docs/GRAPHQLLITE.md, kept compiling and checked.
private struct Book: Sendable { let id: String; let title: String; let genre: Genre; let authorID: String }
private struct Author: Sendable { let id: String; let name: String }
private enum Genre: String, Sendable, Hashable { case fiction, science }

private struct Library: Sendable {
    let books: [Book]
    let authors: [Author]
    func author(_ id: String) async throws -> Author? { authors.first { $0.id == id } }
}

@Suite(.timeLimit(.minutes(1))) struct DocsExampleTests {
    @Test func documentedExampleProducesTheDocumentedResponse() async throws {
        let genre = GraphQLEnumType("Genre", values: [
            GraphQLEnumValue("FICTION", value: Genre.fiction),
            GraphQLEnumValue("SCIENCE", value: Genre.science),
        ])
        let book = GraphQLObjectType("Book", description: "A book.", fields: [
            GraphQLField("id", .nonNull(.id)) { (book: Book, _, _: Library) in book.id },
            GraphQLField("title", .nonNull(.string)) { (book: Book, _, _: Library) in book.title },
            GraphQLField("genre", .nonNull("Genre")) { (book: Book, _, _: Library) in book.genre },
            GraphQLField("author", "Author") { (book: Book, _, library: Library) async throws in
                try await library.author(book.authorID)
            },
        ])
        let author = GraphQLObjectType("Author", fields: [
            GraphQLField("name", .nonNull(.string)) { (author: Author, _, _: Library) in author.name },
        ])
        let newBook = GraphQLInputObjectType("NewBook", fields: [
            GraphQLInputField("title", .nonNull(.string)),
            GraphQLInputField("genre", "Genre", defaultValue: "FICTION"),
        ])
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("books", .nonNull(.list(.nonNull("Book"))),
                         arguments: [GraphQLArgument("genre", "Genre")]) { (args, library: Library) in
                guard let name = args.string("genre") else { return library.books }
                return library.books.filter { $0.genre.rawValue == name.lowercased() }
            },
            GraphQLField("book", "Book", arguments: [GraphQLArgument("id", .nonNull(.id))]) {
                (args, library: Library) throws -> Book? in
                guard let found = library.books.first(where: { $0.id == args.string("id") }) else {
                    throw GraphQLError("Book \(args.string("id") ?? "") not found", code: "NOT_FOUND")
                }
                return found
            },
        ])
        let mutation = GraphQLObjectType("Mutation", fields: [
            GraphQLField("addBook", .nonNull("Book"), arguments: [GraphQLArgument("input", .nonNull("NewBook"))]) {
                (args, _: Library) async throws in
                let input = args.object("input") ?? GraphQLObject()
                return Book(id: "99", title: input["title"]?.stringValue ?? "",
                            genre: input["genre"] == "SCIENCE" ? .science : .fiction, authorID: "1")
            },
        ])
        let schema = try GraphQLSchema(query: query, mutation: mutation, types: [book, author, genre, newBook])
        let engine = GraphQLEngine(schema: schema)
        let library = Library(books: [Book(id: "1", title: "Dune", genre: .fiction, authorID: "1")],
                              authors: [Author(id: "1", name: "Frank Herbert")])
        let response = await engine.execute(
            "query ($id: ID!) { book(id: $id) { title genre author { name } } missing: book(id: \"2\") { title } }",
            variables: ["id": "1"], context: library)
        #expect(response.jsonString() == #"{"errors":[{"message":"Book 2 not found","locations":[{"line":1,"column":66}],"path":["missing"],"extensions":{"code":"NOT_FOUND"}}],"data":{"book":{"title":"Dune","genre":"FICTION","author":{"name":"Frank Herbert"}},"missing":null}}"#)
        let added = await engine.execute(#"mutation { addBook(input: {title: "Cosmos", genre: SCIENCE}) { id genre } }"#, context: library)
        #expect(added.jsonString() == #"{"data":{"addBook":{"id":"99","genre":"SCIENCE"}}}"#)
        #expect(schema.sdl.contains("\"A book.\"\ntype Book {"))
    }
}
