"""A seeded generator of GraphQL documents that walks a schema (graphql-core's model of the SDL).

Valid documents use aliases, duplicate fields that merge, named and inline fragments, @skip and
@include, variables (with and without defaults), __typename, lists and input objects in
arguments, several (async) root fields, and (gateway) subscription operations, which are only
validated. Field/alias choices go through a per-document registry so that every response key
always names the same field with the same arguments, which keeps documents valid under
OverlappingFieldsCanBeMergedRule. `mutate` then breaks a valid
document at the token level to produce invalid ones.
"""
import json
import re

from graphql.pyutils import Undefined
from graphql import (
    GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLList, GraphQLNonNull,
    GraphQLObjectType, GraphQLScalarType, GraphQLUnionType, get_named_type, is_leaf_type,
)

# Values per argument name (then per type) that hit and miss the fixed data.
# The gateway fixture (GatewayFixture.swift): tasks 1-31 (32 deleted), jobs 1-4, batches 1-2, queues
# default, emails, reports and idle.queue-1, tasks created 2026-11-18T11:06:41.250Z to 11:07:53Z.
GATEWAY_POOLS = {
    "taskId": ["1", "2", "3", "4", "5", "6", "7", "9", "12", "16", "17", "21", "22", "25", "30", "32", "0", "99",
               "abc", "007", "-1", 5, -3000000000, 12345678901234567890],
    "jobId": ["1", "2", "3", "4", "5", "x"],
    "batchId": ["1", "2", "3", "0", "01", "p1"],
    "limit": [1, 2, 3, 5, 50, 100, 1000, 0, 1001, -1],
    "offset": [0, 0, 1, 2, 5, 100, -1],
    "type": ["email", "report", "backup", "resize", "thumbnail", "nope"],
    "name": ["default", "emails", "reports", "idle.queue-1", "never-used", "x y", "", "é"],
    "queue": ["default", "emails", "reports", "nope"],
    "concurrencyKey": ["tenant-a", "tenant-b", "x"],
    "createdAfter": ["2026-11-18T11:07:00.000Z", "2026-11-18T11:07:47.500Z", "2026-11-18T12:07:30+01:00",
                     "2026-11-18 11:06:50.5z", "2026-11-18T11:07:10,123456789Z", "2026-11-18T11:07:10+0100",
                     "9999-12-31T23:59:59.999-01:00", "2026-11-18T11:07", "2026-02-30T00:00:00Z",
                     "2026-11-18T11:07:10.1234567890Z", "x"],
    "createdBefore": ["2026-11-18T11:07:30.000Z", "2026-11-18T11:06:41.250Z", "2026-11-19T00:00:00Z",
                      "2026-11-18t11:07:45-00:00", "2026-11-18T11:07:61Z", "x"],
    "payload": [{}, {"tenant": "a"}, {"tenant": "b", "n": 2}, {"n": 2.0}, {"to": "a@b.c"}, {"size": 64},
                {"nested": {"deep": {"x": True}}}, {"nested": {"deep": {"y": None}}}, {"flags": [True, 1]},
                {"flags": [1, 1]}, {"n": [1, 2, 3]}, {"name": "Zoë ✓"}, "x", 1, [1]],
}
RICH_POOLS = {
    "id": ["p1", "p2", "p3", "p4", "d1", "d2", "c1", "c2", "r1", "r2", "x9"],
    "ids": ["p1", "p2", "d1", "c2", "r1", "x9"],
    "first": [-1, 0, 1, 2, 10],
    "limit": [-1, 0, 1, 2, 3, 10],
    "minAge": [0, 30, 40, 60],
    "text": ["", "o", "a", "Rex", "x", "é", "T-"],
    "name": ["Zed", "Al", "", "Ünï"],
    "punctuation": ["!", "?", "", "..."],
}
TYPE_POOLS = {
    "Int": [-2, -1, 0, 1, 2, 3, 7, 100],
    "Float": [0.5, 1, -2.25, 1000.0, 3],
    "String": ["", "a", "hello", "x y", "é"],
    "ID": ["1", "p1", "7", 5],
    "Boolean": [True, False],
}


def unwrap_nonnull(t):
    return t.of_type if isinstance(t, GraphQLNonNull) else t


def gql_literal(value):
    """A JSON value as a GraphQL literal (strings quoted with JSON escapes, which GraphQL accepts)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(gql_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {gql_literal(item)}" for key, item in value.items()) + "}"
    raise TypeError(value)


class Generator:
    def __init__(self, schema, rng, pools, allow_mutations):
        self.schema = schema
        self.rng = rng
        self.pools = pools
        self.allow_mutations = allow_mutations
        self.composite = [t for n, t in schema.type_map.items()
                          if not n.startswith("__") and isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType))]

    # -- documents ----------------------------------------------------------------------------
    def document(self):
        self.variables = []       # (name, type text, default literal or None)
        self.values = {}          # variable values sent
        self.fragments = []       # (name, type name, body)
        self.aliases = {}         # field signature -> [argument texts]
        self.plain = {}           # field signature -> argument text of the unaliased use
        self.signature_ids = {}   # field signature -> number used in its aliases
        self.fields_left = 60
        root = self.schema.query_type
        keyword = "query"
        roll = self.rng.random()
        if self.allow_mutations and self.schema.mutation_type and roll < 0.15:
            root, keyword = self.schema.mutation_type, "mutation"
        elif self.schema.subscription_type and roll < 0.08:
            # Validated only (the runners do not execute subscriptions): mostly one root field,
            # sometimes a whole selection set (several fields, fragments: SingleFieldSubscriptions).
            root, keyword = self.schema.subscription_type, "subscription"
        self.keyword = keyword
        max_depth = self.rng.choice([2, 3, 3, 4, 5])
        if keyword == "subscription" and self.rng.random() < 0.7:
            body = "{ " + self.field(root, 0, max_depth) + " }"
        else:
            body = self.selection_set(root, 0, max_depth=max_depth)
        name = self.rng.choice([None, None, "Op", "Fetch"])
        defs = ""
        if self.variables:
            defs = "(" + ", ".join(f"${n}: {t}" + (f" = {d}" if d is not None else "") for n, t, d in self.variables) + ")"
        head = ""
        if name or defs or keyword != "query" or self.rng.random() < 0.3:
            head = keyword + (f" {name}" if name else "") + defs + " "
        parts = [head + body]
        operation_name = None
        if name and self.rng.random() < 0.15:
            other = "Other" + str(self.rng.randint(1, 9))
            parts.append(f"query {other} {{ __typename }}")
            self.rng.shuffle(parts)
            operation_name = self.rng.choice([name, other])
        fragments = [f"fragment {n} on {t} {b}" for n, t, b in self.fragments]
        self.rng.shuffle(fragments)
        texts = parts + fragments
        separator = self.rng.choice(["\n", " ", "\n\n"])
        return separator.join(texts), self.values, operation_name

    # -- selections ---------------------------------------------------------------------------
    def overlapping(self, t):
        """Composite types a fragment inside a selection of `t` may be on."""
        mine = set(self.possible(t))
        return [c for c in self.composite if mine & set(self.possible(c))]

    def possible(self, t):
        if isinstance(t, GraphQLObjectType):
            return [t.name]
        return [p.name for p in self.schema.get_possible_types(t)]

    def selection_set(self, t, depth, max_depth):
        items = []
        count = self.rng.choice([1, 1, 2, 2, 3, 4])
        for _ in range(count):
            roll = self.rng.random()
            if roll < 0.12 and depth < max_depth:
                items.append(self.inline_fragment(t, depth, max_depth))
            elif roll < 0.24 and depth < max_depth:
                items.append(self.spread(t, depth, max_depth))
            else:
                items.append(self.field(t, depth, max_depth))
        if not any(items):
            items.append("__typename")
        return "{ " + " ".join(i for i in items if i) + " }"

    def directives(self):
        if self.rng.random() >= 0.15:
            return ""
        name = self.rng.choice(["skip", "include"])
        # Not in subscriptions: graphql-core 3.2 (as graphql-js 16) evaluates @skip/@include of the
        # root fields with no variable values in SingleFieldSubscriptionsRule and raises from
        # validate() for a variable condition.
        if self.keyword != "subscription" and self.rng.random() < 0.4:
            condition = "$" + self.variable("Boolean!", self.rng.choice([True, False]), None)
        else:
            condition = self.rng.choice(["true", "false"])
        return f" @{name}(if: {condition})"

    def inline_fragment(self, t, depth, max_depth):
        if self.rng.random() < 0.25:
            return "..." + self.directives() + " " + self.selection_set(t, depth + 1, max_depth)
        condition = self.rng.choice(self.overlapping(t))
        return f"... on {condition.name}{self.directives()} " + self.selection_set(condition, depth + 1, max_depth)

    def spread(self, t, depth, max_depth):
        usable = [f for f in self.fragments if set(self.possible(self.schema.type_map[f[1]])) & set(self.possible(t))]
        if usable and self.rng.random() < 0.5:
            name = self.rng.choice(usable)[0]
        else:
            condition = self.rng.choice(self.overlapping(t))
            body = self.selection_set(condition, depth + 1, max_depth)
            name = f"F{len(self.fragments)}"
            self.fragments.append((name, condition.name, body))
        return "..." + name + self.directives()

    def field(self, t, depth, max_depth):
        fields = [] if isinstance(t, GraphQLUnionType) else list(t.fields.items())
        if not fields or self.rng.random() < 0.08 or self.fields_left <= 0:
            return ("typename_0_0: __typename" if self.rng.random() < 0.3 else "__typename") + self.directives()
        self.fields_left -= 1
        if depth >= max_depth:
            leaves = [(n, f) for n, f in fields if is_leaf_type(get_named_type(f.type))]
            fields = leaves or fields
        name, definition = self.rng.choice(fields)
        signature = f"{name}:{definition.type}:" + ",".join(f"{a}:{d.type}" for a, d in definition.args.items())
        if self.rng.random() < 0.3:
            texts = self.aliases.setdefault(signature, [])
            if texts and self.rng.random() < 0.5:
                index = self.rng.randrange(len(texts))
            else:
                texts.append(self.arguments(definition))
                index = len(texts) - 1
            signature_id = self.signature_ids.setdefault(signature, len(self.signature_ids))
            key = f"{name}_{signature_id}_{index}: "
            arguments = texts[index]
        else:
            if signature not in self.plain:
                self.plain[signature] = self.arguments(definition)
            key, arguments = "", self.plain[signature]
        text = key + name + arguments + self.directives()
        named = get_named_type(definition.type)
        if not is_leaf_type(named):
            if depth >= max_depth:
                text += " { __typename }"
            else:
                text += " " + self.selection_set(named, depth + 1, max_depth)
        return text

    # -- arguments and values ----------------------------------------------------------------
    def arguments(self, definition):
        parts = []
        for name, argument in definition.args.items():
            required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
            if not required and self.rng.random() < 0.55:
                continue
            parts.append(f"{name}: {self.value(argument.type, name, allow_variable=True)}")
        self.rng.shuffle(parts)
        return "(" + ", ".join(parts) + ")" if parts else ""

    def variable(self, type_text, value, default):
        name = f"v{len(self.variables)}"
        self.variables.append((name, type_text, default))
        if value is not _OMIT:
            self.values[name] = value
        return name

    def value(self, t, name, allow_variable):
        """A literal of input type `t` as text; sometimes a variable instead (its value recorded)."""
        if allow_variable and self.rng.random() < 0.3:
            json_value = self.json_value(t, name)
            type_text = str(t)
            default = None
            sent = json_value
            if not isinstance(t, GraphQLNonNull):
                roll = self.rng.random()
                if roll < 0.2:
                    default = self.value(t, name, allow_variable=False)
                    sent = _OMIT if self.rng.random() < 0.6 else json_value
                elif roll < 0.3:
                    sent = _OMIT
                elif roll < 0.4:
                    type_text = str(t) + "!"
            return "$" + self.variable(type_text, sent, default)
        inner = unwrap_nonnull(t)
        if inner is not t:
            return self.value_nonnull(inner, name, allow_variable)
        if self.rng.random() < 0.08:
            return "null"
        return self.value_nonnull(inner, name, allow_variable)

    def value_nonnull(self, t, name, allow_variable):
        if isinstance(t, GraphQLList):
            if self.rng.random() < 0.2:
                return self.value(t.of_type, name, allow_variable)   # a single value coerces to a list
            return "[" + ", ".join(self.value(t.of_type, name, allow_variable) for _ in range(self.rng.randint(0, 3))) + "]"
        if isinstance(t, GraphQLEnumType):
            return self.rng.choice(list(t.values))
        if isinstance(t, GraphQLInputObjectType):
            parts = []
            for field_name, field in t.fields.items():
                required = isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
                if not required and self.rng.random() < 0.5:
                    continue
                parts.append(f"{field_name}: {self.value(field.type, field_name, allow_variable)}")
            self.rng.shuffle(parts)
            return "{" + ", ".join(parts) + "}"
        return gql_literal(self.scalar(t, name))

    def scalar(self, t, name):
        pool = self.pools.get(name)
        if pool is not None:
            candidates = [v for v in pool if _fits(t.name, v)]
            if candidates:
                return self.rng.choice(candidates)
        return self.rng.choice(TYPE_POOLS.get(t.name, ["x"]))

    def json_value(self, t, name):
        inner = unwrap_nonnull(t)
        if inner is t and self.rng.random() < 0.1:
            return None
        if isinstance(inner, GraphQLList):
            if self.rng.random() < 0.2:
                return self.json_value(inner.of_type, name)
            return [self.json_value(inner.of_type, name) for _ in range(self.rng.randint(0, 3))]
        if isinstance(inner, GraphQLEnumType):
            return self.rng.choice(list(inner.values))
        if isinstance(inner, GraphQLInputObjectType):
            result = {}
            for field_name, field in inner.fields.items():
                required = isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
                if required or self.rng.random() < 0.5:
                    result[field_name] = self.json_value(field.type, field_name)
            return result
        value = self.scalar(inner, name)
        if inner.name == "ID" and not isinstance(value, str):
            value = str(value)
        return value


class _Omit:
    pass


_OMIT = _Omit()


def _fits(type_name, value):
    if type_name == "Int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "Float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name in ("String",):
        return isinstance(value, str)
    if type_name == "ID":
        return isinstance(value, (str, int)) and not isinstance(value, bool)
    if type_name == "Boolean":
        return isinstance(value, bool)
    return True


# -- documents dense in overlapping fields (--style overlap) -------------------------------------
class OverlapGenerator:
    """Documents for OverlappingFieldsCanBeMergedRule, whose reported conflicts depend on which
    pairs graphql-js compares and in which order (it memoises fragment comparisons).

    `Generator` keeps every response key to one field and one argument text, so its conflicts
    come only from mutations (a handful per 10,000 documents). Here every field may take one of
    three aliases (`a`, `b`, `c`), fields repeat with and without arguments (strings also as block
    strings, input objects with their fields in any order), up to four fragments spread one
    another (mostly later ones: few cycles) at several depths, and inline fragments take type
    conditions that overlap the parent (and now and then one that does not). Nearly every
    document is invalid, with several conflicts; what is compared is the set of errors.
    """

    STRINGS = ['"x"', '"y"', '"""x"""']
    VALUES = {"Int": ["1", "2"], "Float": ["1.0", "1"], "String": STRINGS, "ID": ['"1"', '"p1"', "1"],
              "Boolean": ["true", "false"]}

    def __init__(self, schema, rng):
        self.schema = schema
        self.rng = rng
        self.composite = [t for n, t in schema.type_map.items()
                          if not n.startswith("__") and isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType))
                          and t is not schema.mutation_type and t is not schema.subscription_type]

    def document(self):
        self.fragments = [(f"F{i}", self.rng.choice(self.composite)) for i in range(self.rng.randint(1, 4))]
        self.current = None
        body = self.selection_set(self.schema.query_type, 0)
        definitions = []
        for name, t in self.fragments:
            self.current = name
            definitions.append(f"fragment {name} on {t.name} {self.selection_set(t, 1)}")
        return 'query ($v: String = "x") ' + body + "\n" + "\n".join(definitions), {"v": "x"}, None

    def related(self, t):
        """The composite types whose objects can also be of type `t`."""
        mine = set(self.schema.get_possible_types(t)) if not isinstance(t, GraphQLObjectType) else {t}
        return [c for c in self.composite
                if mine & (set(self.schema.get_possible_types(c)) if not isinstance(c, GraphQLObjectType) else {c})]

    def selection_set(self, t, depth):
        items = []
        for _ in range(self.rng.randint(1, 4)):
            roll = self.rng.random()
            if roll < 0.68 or depth >= 4:
                items.append(self.field(t, depth))
            elif roll < 0.84:
                if self.rng.random() < 0.2:
                    items.append("... " + self.selection_set(t, depth + 1))
                else:
                    c = self.rng.choice(self.related(t) if self.rng.random() < 0.95 else self.composite)
                    items.append(f"... on {c.name} " + self.selection_set(c, depth + 1))
            else:
                usable = [f for f in self.fragments if f[1] in self.related(t) and (self.current is None or f[0] > self.current)]
                items.append("..." + self.rng.choice(usable if usable and self.rng.random() < 0.95 else self.fragments)[0])
        return "{ " + " ".join(items) + " }"

    def field(self, t, depth):
        fields = dict(getattr(t, "fields", None) or {})
        if isinstance(t, GraphQLUnionType) and self.rng.random() < 0.05:
            for member in t.types:   # a member's field on the union itself: FieldsOnCorrectType
                fields.update({k: v for k, v in member.fields.items() if self.rng.random() < 0.3})
        names = list(fields) + ["__typename"]
        composite = [n for n in names if n in fields and not is_leaf_type(get_named_type(fields[n].type))]
        if composite and self.rng.random() < 0.5:
            name = self.rng.choice(composite)
        else:
            name = self.rng.choice(names[:4] if self.rng.random() < 0.6 else names)
        text = (self.rng.choice("abc") + ": " if self.rng.random() < 0.45 else "") + name
        definition = fields.get(name)
        if definition is None:
            return text
        if definition.args and self.rng.random() < 0.6:
            arguments = list(definition.args.items())
            self.rng.shuffle(arguments)
            text += "(" + ", ".join(f"{n}: {self.value(a.type)}" for n, a in arguments[:self.rng.randint(1, 2)]) + ")"
        if not is_leaf_type(get_named_type(definition.type)):
            text += " " + (self.selection_set(get_named_type(definition.type), depth + 1) if depth < 3 else "{ __typename }")
        return text

    def value(self, t):
        if isinstance(t, GraphQLNonNull):
            t = t.of_type
        if isinstance(t, GraphQLList):
            if self.rng.random() < 0.3:
                return self.value(t.of_type)
            return "[" + ", ".join(self.value(t.of_type) for _ in range(self.rng.randint(0, 2))) + "]"
        if isinstance(t, GraphQLEnumType):
            return self.rng.choice(list(t.values))
        if isinstance(t, GraphQLInputObjectType):
            fields = list(t.fields.items())
            self.rng.shuffle(fields)
            return "{" + ", ".join(f"{n}: {self.value(f.type)}" for n, f in fields[:self.rng.randint(0, 2)]) + "}"
        if self.rng.random() < 0.1:
            return "$v"
        return self.rng.choice(self.VALUES.get(t.name, self.STRINGS))


# -- invalid documents ---------------------------------------------------------------------------
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\.\.|[$@]?[_A-Za-z][_0-9A-Za-z]*|[{}()\[\]:=!,|&]|\s+|.')
KEYWORDS = {"query", "mutation", "subscription", "fragment", "on", "true", "false", "null"}
INSERTS = [
    " @skip(if: true)", " @unknown", " @include(if: 1)", " @skip(if: true) @skip(if: false)", " @deprecated",
    " { __typename }", " { id }", "(limit: 1)", "(bogus: 1)", " ...Missing", " ... on Query { __typename }",
    " ... on Robot { model }", " ... on String { x }", " x: id", " nope", " $undefined",
]
LITERALS = ["1", "\"s\"", "true", "null", "[1]", "{a: 1}", "PLAIN", "2147483648", "1.5", "$v0", "[null]", "\"\"", "{}"]
SUFFIXES = [
    "\nfragment Unused on Query { __typename }",
    "\n{ __typename }",
    "\nquery Op { __typename }",
    "\nfragment F0 on Query { __typename }",
    "\nfragment Cycle on Query { ...Cycle }",
    "\nfragment Scalar on Int { x }",
    "\nquery Sub($a: Int, $a: Int) { __typename }",
    "\nquery Deep($x: UnknownType, $y: Task) { __typename }",
]


def mutate(text, rng, vocabulary):
    tokens = TOKEN.findall(text)
    for _ in range(rng.choice([1, 1, 1, 2])):
        solid = [i for i, tok in enumerate(tokens) if not tok.isspace()]
        if not solid:
            break
        roll = rng.random()
        i = rng.choice(solid)
        token = tokens[i]
        names = [j for j in solid if re.match(r"[$@]?[_A-Za-z]", tokens[j]) and tokens[j] not in KEYWORDS]
        if roll < 0.3 and names:
            j = rng.choice(names)
            name = tokens[j]
            prefix = name[0] if name[0] in "$@" else ""
            bare = name[len(prefix):]
            choice = rng.random()
            if choice < 0.4 and len(bare) > 1:
                k = rng.randrange(len(bare))
                bare = bare[:k] + bare[k + 1:] if rng.random() < 0.5 else bare[:k] + bare[k] + bare[k:]
            elif choice < 0.8:
                bare = rng.choice(vocabulary)
            else:
                bare = bare + "x"
            tokens[j] = prefix + bare
        elif roll < 0.4:
            tokens[i] = ""
        elif roll < 0.48:
            tokens[i] = token + " " + token
        elif roll < 0.62:
            literals = [j for j in solid if re.match(r'["\d-]|true|false|null', tokens[j])
                        or (tokens[j].isupper() and tokens[j].isalpha())]
            if literals:
                tokens[rng.choice(literals)] = rng.choice(LITERALS)
        elif roll < 0.8 and names:
            j = rng.choice(names)
            tokens[j] = tokens[j] + rng.choice(INSERTS)
        elif roll < 0.9:
            opens = [j for j in solid if tokens[j] == "{"]
            if opens:
                j = rng.choice(opens)
                depth = 0
                for k in range(j, len(tokens)):
                    if tokens[k] == "{":
                        depth += 1
                    elif tokens[k] == "}":
                        depth -= 1
                        if depth == 0:
                            for m in range(j, k + 1):
                                tokens[m] = ""
                            break
        else:
            tokens.append(rng.choice(SUFFIXES))
    return "".join(tokens)
