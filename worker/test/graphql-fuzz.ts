import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from "graphql";

// A generator of GraphQL operations for the fuzz test: every root field of the printed schema
// (schema/schema.graphql), with random, boundary and hostile arguments, reproducible from a seed.

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values an attacker or a broken client sends: none is valid input anywhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "\t\n\r",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "\u202eevil\u202c",
  "\u200b\u200c\u200d\ufeff",
  "e\u0301\u0301\u0301\u0301\u0301",
  "🧑‍🎓🏅".repeat(50),
  "Ω≈ç√∫˜µ≤≥÷",
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  "1; SELECT * FROM sqlite_master",
  "%' UNION SELECT password_hash FROM users --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "<svg onload=alert(1)>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, sent as it is.
  "{{7*7}}${7*7}<%= 7*7 %>",
  "%s%s%s%n",
  "../../../../etc/passwd",
  "http://127.0.0.1:8787/public/assertions/x",
  "http://169.254.169.254/latest/meta-data/",
  "file:///etc/passwd",
  '=HYPERLINK("http://evil.example")',
  "null",
  "undefined",
  "NaN",
  "-1",
  "9".repeat(400),
  "2026-02-30",
  "0000-00-00",
  "9999-12-31",
  "not-an-email",
  "a@b",
  "@example.org",
  `${"x".repeat(64)}@${"y".repeat(250)}.example`,
  "UPPER@EXAMPLE.ORG",
  "__proto__",
  "constructor",
];

export interface Pools {
  /** Ids that exist, by what they name: the signed-in user's issuer, badge class, awards, collection, email, session, and users. */
  ids: Record<IdKind, string[]>;
  /** Addresses that exist (accounts' emails). */
  emails: string[];
}

export type IdKind = "issuer" | "badgeClass" | "award" | "collection" | "email" | "session" | "user";

/** Which kind of id an argument names, from its name or, for a bare `id`, its field's. */
function idKind(field: string, arg: string): IdKind | null {
  const name = arg === "id" ? field : arg;
  if (/issuer(?!Member)/i.test(name) && !/member/i.test(arg)) return "issuer";
  if (/badgeClass/i.test(name)) return "badgeClass";
  if (/award|badge/i.test(name)) return "award";
  if (/collection/i.test(name)) return "collection";
  if (/email/i.test(name)) return "email";
  if (/session/i.test(name)) return "session";
  if (/user/i.test(name)) return "user";
  return null;
}

export interface Operation {
  label: string;
  query: string;
  variables: Record<string, unknown>;
  /** Multipart uploads by variable path ("input.image"); empty for a JSON request. */
  files: Record<string, File>;
}

export class Fuzzer {
  readonly random: () => number;
  /**
   * While set, values fit their types (hostile content, never a wrong type or a missing value),
   * so the call gets past GraphQL's coercion into the resolvers, where the bugs would be.
   */
  welltyped = false;
  constructor(
    seed: number,
    private readonly pools: Pools,
  ) {
    this.random = seededRandom(seed);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  string(): string {
    const roll = this.random();
    if (roll < 0.35) return this.pick(HOSTILE_STRINGS);
    if (roll < 0.45) return "A".repeat(this.pick([1_000, 100_000, 300_000]));
    if (roll < 0.55) return this.pick(this.pools.emails);
    if (roll < 0.65) return this.pick(Object.values(this.pools.ids).flat());
    if (roll < 0.75) return `https://example.org/${this.word()}?q=${this.word()}`;
    if (roll < 0.85) return String(this.int(0, 999_999)).padStart(6, "0");
    return Array.from({ length: this.int(1, 40) }, () => String.fromCodePoint(this.int(0x20, 0x2fff))).join("");
  }

  private word(): string {
    return Math.floor(this.random() * 36 ** 6).toString(36);
  }

  private id(kind: IdKind | null): string {
    const roll = this.random();
    if (kind && roll < 0.6) return this.pick(this.pools.ids[kind]);
    if (roll < 0.7) return this.pick(Object.values(this.pools.ids).flat());
    if (roll < 0.8) return crypto.randomUUID();
    return this.string();
  }

  /** Something of the wrong type for `type`: GraphQL must refuse it while coercing variables. */
  private wrong(): unknown {
    return this.pick<unknown>([{}, [], 1.5, -1, true, "x", { __proto__: { admin: true } }, [null], 2 ** 53, this.deep()]);
  }

  /** JSON nested hundreds of levels deep: coercion must refuse it without recursing into trouble. */
  private deep(): unknown {
    let value: unknown = "x";
    for (let level = this.int(100, 800); level > 0; level--) value = this.chance(0.5) ? [value] : { a: value };
    return value;
  }

  /** A value for `type`; `kind` says which ids fit, for ID arguments. */
  value(type: GraphQLInputType, depth = 0, kind: IdKind | null = null): unknown {
    if (isNonNullType(type)) {
      // Sometimes break the contract: null or nothing where a value is required.
      if (!this.welltyped && this.chance(0.04)) return null;
      return this.value(type.ofType, depth, kind);
    }
    if (this.chance(0.12)) return null;
    if (!this.welltyped && this.chance(0.05)) return this.wrong();
    if (isListType(type)) {
      const length = !this.welltyped && this.chance(0.1) ? this.pick([500, 5_000]) : this.int(0, 4);
      // Huge lists repeat one value: their size is the test, not their variety.
      if (length > 10) return Array.from({ length }, () => "x");
      return Array.from({ length }, () => this.value(type.ofType, depth + 1, kind));
    }
    if (isEnumType(type)) {
      return this.welltyped || this.chance(0.8) ? this.pick(type.getValues()).name : this.pick(["active", "ALL ", "UNKNOWN", "0", ""]);
    }
    if (isInputObjectType(type)) {
      if (depth > 4) return {};
      const object: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (!isNonNullType(field.type) && this.chance(0.3)) continue;
        object[field.name] = this.value(field.type, depth + 1, idKind(field.name, field.name));
      }
      if (!this.welltyped && this.chance(0.05)) object.unexpectedField = this.string();
      return object;
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case "ID":
          return this.id(kind);
        case "Int":
          return this.pick([0, 1, -1, -100, 2, 24, 100, 101, 1_000, 2 ** 31 - 1, -(2 ** 31), this.int(-100_000, 100_000)]);
        case "Float":
          return this.pick([0, -0.5, 1e308, Number.MIN_VALUE]);
        case "Boolean":
          return this.chance(0.5);
        case "DateTime":
          if (this.welltyped)
            return this.pick(["2026-12-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2000-02-29T12:00:00+14:00"]);
          return this.pick(["2026-12-01T00:00:00Z", "not a date", "9999-99-99", "-271821-04-20T00:00:00Z", this.string()]);
        case "File":
          // Files travel in multipart requests (see `operation`); JSON can only send something else.
          return this.welltyped ? null : this.pick([null, "file", { name: "x.png" }]);
        default:
          return this.string();
      }
    }
    return null;
  }

  /** A file for a File argument: truncated, oversized, mislabelled or scripted images. */
  file(): File {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0x7f, 0xff, 0xff, 0xff,
    ]);
    const svg = (extra: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" ${extra}><circle cx="100" cy="100" r="90"/></svg>`;
    const choice = this.int(0, 7);
    const random = new Uint8Array(this.int(0, 4096)).map(() => this.int(0, 255));
    switch (choice) {
      case 0:
        return new File([png], "badge.png", { type: "image/png" });
      case 1:
        return new File([svg('onload="alert(1)"')], "badge.svg", { type: "image/svg+xml" });
      case 2:
        return new File([svg("><script>alert(1)</script><foreignObject><iframe src='javascript:alert(1)'/></foreignObject")], "x.svg", {
          type: "image/svg+xml",
        });
      case 3:
        return new File([new Uint8Array(0)], "empty.png", { type: "image/png" });
      case 4:
        return new File([new Uint8Array(700 * 1024)], "big.png", { type: "image/png" });
      case 5:
        return new File([svg('width="100000" height="1"')], "wide.svg", { type: "image/svg+xml" });
      case 6:
        return new File(["email,name\n=cmd|' /C calc'!A0,x\n"], "awards.csv", { type: "text/csv" });
      default:
        return new File([random], this.pick(["a.png", "a.svg", "../../a", ""]), { type: this.pick(["image/png", "text/html", ""]) });
    }
  }
}

type Composite = GraphQLObjectType | Extract<GraphQLNamedType, { getFields: unknown }>;

/**
 * A selection of every leaf of `type` and, to `depth` 2, of its objects' leaves; unions get
 * `__typename` and each member's leaves. Fields of the same name and different types (which
 * GraphQL refuses to merge) are selected once.
 */
export function selectionOf(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return "";
  const taken = new Map<string, string>();
  const fieldsOf = (composite: Composite) => {
    const parts: string[] = [];
    for (const field of Object.values((composite as GraphQLObjectType).getFields()) as GraphQLField<unknown, unknown>[]) {
      if (field.args.some((a) => isNonNullType(a.type))) continue;
      const inner = getNamedType(field.type);
      const isLeaf = isLeafType(inner);
      if (!isLeaf && depth >= 2) continue;
      const shape = String(field.type);
      if (taken.has(field.name) && taken.get(field.name) !== shape) continue;
      taken.set(field.name, shape);
      parts.push(isLeaf ? field.name : `${field.name} ${selectionOf(field.type, depth + 1)}`);
    }
    return parts.join(" ");
  };
  if (isUnionType(named)) {
    return `{ __typename ${named
      .getTypes()
      .map((member) => `... on ${member.name} { ${fieldsOf(member)} }`)
      .join(" ")} }`;
  }
  if (isObjectType(named) || isInterfaceType(named)) return `{ __typename ${fieldsOf(named)} }`;
  return "";
}

/** One call of a root field with generated arguments, as variables (or uploads, for files). */
export function operation(fuzzer: Fuzzer, kind: "query" | "mutation", field: GraphQLField<unknown, unknown>): Operation {
  const declarations: string[] = [];
  const args: string[] = [];
  const variables: Record<string, unknown> = {};
  const files: Record<string, File> = {};
  // Half the calls are well-typed, to reach the resolvers; the other half test coercion.
  fuzzer.welltyped = fuzzer.chance(0.5);
  for (const [index, arg] of field.args.entries()) {
    // Optional arguments are often left out; a required one now and then (GraphQL must refuse).
    if (fuzzer.chance(isNonNullType(arg.type) ? (fuzzer.welltyped ? 0 : 0.06) : 0.3)) continue;
    const name = `v${index}`;
    declarations.push(`$${name}: ${String(arg.type)}`);
    args.push(`${arg.name}: $${name}`);
    variables[name] = fuzzer.value(arg.type, 0, idKind(field.name, arg.name));
    collectFiles(fuzzer, arg.type, variables, name, files);
  }
  const signature = declarations.length ? `(${declarations.join(", ")})` : "";
  const call = args.length ? `${field.name}(${args.join(", ")})` : field.name;
  return {
    label: `${kind} ${field.name}`,
    query: `${kind} Fuzz${signature} { ${call} ${selectionOf(field.type)} }`,
    variables,
    files,
  };
}

/** Replaces File values (at any depth of input objects) by uploads, half of the time. */
function collectFiles(
  fuzzer: Fuzzer,
  type: GraphQLInputType,
  holder: Record<string, unknown>,
  key: string,
  files: Record<string, File>,
  path = key,
) {
  const named = getNamedType(type);
  if (isScalarType(named) && named.name === "File" && !isListType(isNonNullType(type) ? type.ofType : type)) {
    if (fuzzer.chance(0.5)) {
      holder[key] = null;
      files[path] = fuzzer.file();
    }
    return;
  }
  const value = holder[key];
  if (isInputObjectType(named) && value && typeof value === "object" && !Array.isArray(value)) {
    for (const field of Object.values(named.getFields())) {
      if (field.name in (value as Record<string, unknown>)) {
        collectFiles(fuzzer, field.type, value as Record<string, unknown>, field.name, files, `${path}.${field.name}`);
      }
    }
  }
}

export function rootFields(schema: GraphQLSchema): { kind: "query" | "mutation"; field: GraphQLField<unknown, unknown> }[] {
  const query = Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ kind: "query" as const, field }));
  const mutation = Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({ kind: "mutation" as const, field }));
  return [...query, ...mutation];
}
