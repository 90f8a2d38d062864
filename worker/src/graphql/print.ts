import { lexicographicSortSchema, printSchema } from "graphql";
import { schema } from "./schema";

/** The committed form of the schema: sorted, so diffs show real changes only. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
