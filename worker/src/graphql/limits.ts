import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import {
  type ASTNode,
  type GraphQLCompositeType,
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type SelectionNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * What one GraphQL request may ask for. The SPA's heaviest documents (measured in the browser
 * tests, see docs/decisions/015-…) stay well inside these: depth 5, cost 3,270 (the
 * collection editor's `backpack(first: 100)`), 836 characters, no aliases, no directives,
 * one mutation field, two nested lists.
 * A query that walks `Issuer.badgeClasses.issuer.badgeClasses…` or repeats a field under
 * hundreds of aliases is refused before anything runs.
 */
export const GRAPHQL_LIMITS = {
  /** Levels of fields; fragments do not count as levels. */
  depth: 10,
  /** graphql-armor's estimate: objects 2, scalars 1, ×1.5 per level, × a literal `first`. */
  cost: 8_000,
  aliases: 15,
  directives: 10,
  /** Lexical tokens of the document; the largest SPA document has about 130. */
  tokens: 2_000,
  comments: 50,
  /** Characters of the document (variables are not part of it). */
  documentLength: 20_000,
  /** Root fields of one mutation: each may send mail or hash a password. */
  mutationFields: 3,
  /**
   * Lists of objects inside lists of objects (`myCollections { badges }` is 2). Depth alone
   * lets `myIssuers { badgeClasses { issuer { badgeClasses … } } }` multiply every level by
   * an issuer's number of badge classes; armor's cost cannot know list lengths.
   */
  nestedLists: 3,
} as const;

/** Why a request was refused, as clients read it in `extensions.code`. */
export const QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";
export const INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED";

const refused = (message: string, limit: string, nodes?: ASTNode) =>
  new GraphQLError(message, { nodes, extensions: { code: QUERY_TOO_COMPLEX, limit } });

/** graphql-armor reports "Syntax Error: … limit of N exceeded, found M."; ours says what to do and carries a code. */
function armorRejection(limit: string, what: string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
    const message = `This query asks for too much: ${what}${found ? ` is ${Math.ceil(Number(found))}` : ""}, above the limit of ${
      GRAPHQL_LIMITS[limit as keyof typeof GRAPHQL_LIMITS]
    }. Ask for fewer or less deeply nested fields.`;
    context?.reportError(refused(message, limit));
  };
}

const mutationFieldsRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== "mutation") return;
    const fields = node.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== "__typename");
    if (fields.length > GRAPHQL_LIMITS.mutationFields) {
      context.reportError(
        refused(
          `This mutation has ${fields.length} fields; send at most ${GRAPHQL_LIMITS.mutationFields} per request.`,
          "mutationFields",
          node,
        ),
      );
    }
  },
});

type Selections = readonly SelectionNode[];

/** The deepest chain of list-of-object fields under `selections`, fragments followed. */
function listNesting(context: ValidationContext, type: GraphQLCompositeType, selections: Selections, seen: Set<string>): number {
  let deepest = 0;
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      const field = type.getFields()[selection.name.value];
      const named = field && getNamedType(field.type);
      if (!field || !named || !isCompositeType(named) || !selection.selectionSet) continue;
      const inner = listNesting(context, named, selection.selectionSet.selections, seen);
      deepest = Math.max(deepest, inner + (isListType(getNullableType(field.type)) ? 1 : 0));
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? context.getFragment(selection.name.value) : selection;
      if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
      const inner = new Set(seen);
      if (selection.kind === Kind.FRAGMENT_SPREAD) inner.add(selection.name.value);
      const condition = fragment.typeCondition ? context.getSchema().getType(fragment.typeCondition.name.value) : type;
      if (condition && isCompositeType(condition)) {
        deepest = Math.max(deepest, listNesting(context, condition, fragment.selectionSet.selections, inner));
      }
    }
  }
  return deepest;
}

const nestedListsRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const root = context.getSchema().getRootType(node.operation);
    if (!root) return;
    const nesting = listNesting(context, root, node.selectionSet.selections, new Set());
    if (nesting > GRAPHQL_LIMITS.nestedLists) {
      context.reportError(
        refused(
          `This query nests ${nesting} lists inside each other, above the limit of ${GRAPHQL_LIMITS.nestedLists}. Ask for the inner lists separately.`,
          "nestedLists",
          node,
        ),
      );
    }
  },
});

/** Depth, cost, lists, aliases, directives, mutation fields (validation); tokens, comments, length (parsing). */
export function limitPlugins(): Plugin[] {
  const rejection = (limit: string, what: string) => ({ propagateOnRejection: false, onReject: [armorRejection(limit, what)] });
  return [
    {
      onParse({ setParseFn }) {
        setParseFn((source, options) => {
          const text = typeof source === "string" ? source : source.body;
          if (text.length > GRAPHQL_LIMITS.documentLength) {
            throw refused(
              `This query is ${text.length} characters long, above the limit of ${GRAPHQL_LIMITS.documentLength}. Send values as variables.`,
              "documentLength",
            );
          }
          try {
            return parse(source, {
              ...options,
              maxLexicalTokens: GRAPHQL_LIMITS.tokens,
              maxComments: GRAPHQL_LIMITS.comments,
            });
          } catch (error) {
            if (error instanceof GraphQLError && /Parsing aborted/.test(error.message)) {
              throw refused(
                `This query has more than ${GRAPHQL_LIMITS.tokens} tokens or ${GRAPHQL_LIMITS.comments} comments. Send fewer fields.`,
                "tokens",
              );
            }
            throw error;
          }
        });
      },
    },
    maxDepthPlugin({ n: GRAPHQL_LIMITS.depth, flattenFragments: true, ...rejection("depth", "its depth") }),
    costLimitPlugin({ maxCost: GRAPHQL_LIMITS.cost, flattenFragments: true, ...rejection("cost", "its estimated cost") }),
    maxAliasesPlugin({ n: GRAPHQL_LIMITS.aliases, ...rejection("aliases", "the number of aliases") }),
    maxDirectivesPlugin({ n: GRAPHQL_LIMITS.directives, ...rejection("directives", "the number of directives") }),
    {
      onValidate({ addValidationRule }) {
        addValidationRule(mutationFieldsRule);
        addValidationRule(nestedListsRule);
      },
    },
  ];
}

const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== "__schema" && node.name.value !== "__type") return;
    context.reportError(
      new GraphQLError("Introspection is off. The schema is published as schema/schema.graphql in Laurel's repository.", {
        nodes: node,
        extensions: { code: INTROSPECTION_DISABLED },
      }),
    );
  },
});

// `Did you mean "name"?` and `Did you mean the enum value "ACCEPTED"?`, with or without "or …".
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
const hasSuggestion = (message: string) => message.includes("Did you mean ");

/**
 * Production refuses `__schema` / `__type` and drops "Did you mean …" from every error
 * (validation and variable coercion), so the API cannot be mapped by guessing.
 */
export function productionPlugins(): Plugin[] {
  return [
    { onValidate: ({ addValidationRule }) => addValidationRule(noIntrospection) },
    {
      onResultProcess({ result, setResult }) {
        const strip = (r: { errors?: readonly GraphQLError[] }) =>
          r.errors?.some((e) => hasSuggestion(e.message))
            ? {
                ...r,
                errors: r.errors.map((e) =>
                  hasSuggestion(e.message)
                    ? new GraphQLError(e.message.replace(SUGGESTION, ""), { nodes: e.nodes, path: e.path, extensions: e.extensions })
                    : e,
                ),
              }
            : r;
        if (Array.isArray(result)) setResult(result.map((r) => strip(r as never)) as never);
        else if (result && typeof result === "object" && "errors" in result) setResult(strip(result as never) as never);
      },
    },
  ];
}
