// Writes schema/schema.graphql from the Pothos schema: `pnpm schema:print`.
import { writeFileSync } from "node:fs";
import { printedSchema } from "../src/graphql/print";

const target = new URL("../../schema/schema.graphql", import.meta.url);
writeFileSync(target, printedSchema());
console.log(`wrote ${target.pathname}`);
