// Writes src/graphql-env.d.ts, the schema's introspection that gql.tada types every document
// with, from schema/schema.graphql (`pnpm schema:print` runs it). With --check it writes
// nothing and fails when the file is stale, so a schema change reaches the SPA's typecheck.
import { readFileSync, writeFileSync } from "node:fs";
import { minifyIntrospection, outputIntrospectionFile } from "gql.tada/internal";
import { buildSchema, introspectionFromSchema } from "graphql";

const schemaFile = new URL("../../schema/schema.graphql", import.meta.url);
const target = new URL("../src/graphql-env.d.ts", import.meta.url);

const introspection = minifyIntrospection(introspectionFromSchema(buildSchema(readFileSync(schemaFile, "utf8"))));
const output = outputIntrospectionFile(introspection, { fileType: ".d.ts", shouldPreprocess: true });

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {}
  if (committed !== output) {
    console.error("web/src/graphql-env.d.ts does not match schema/schema.graphql: run `pnpm schema:print`.");
    process.exit(1);
  }
} else {
  writeFileSync(target, output);
  console.log(`wrote ${target.pathname}`);
}
