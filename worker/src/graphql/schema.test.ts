import { expect, it } from "vitest";
import committed from "../../../schema/schema.graphql?raw";
import { printedSchema } from "./print";

it("schema/schema.graphql matches the code (run `pnpm schema:print` after changing types)", () => {
  expect(committed).toBe(printedSchema());
});
