import { type OutputUnit, Validator } from "@cfworker/json-schema";
import schema from "./ob3-credential.schema.json";

// Our transcription of 1EdTech's OB 3.0 credential schema (ADR 011), checked without code
// generation: Ajv compiles validators with `new Function`, which Workers refuse.
const validator = new Validator(schema as object, "2019-09", false);

const MAX_ERRORS = 10;

/** Where in the document (`credentialSubject.achievement`) an error is, for people. */
const where = (pointer: string) => pointer.replace(/^#\/?/, "").replaceAll("/", ".") || "credential";

/** The credential's validity and, when invalid, the innermost messages (the ones that name a field). */
export function checkOb3Schema(credential: unknown): { valid: boolean; errors: string[] } {
  const result = validator.validate(credential);
  if (result.valid) return { valid: true, errors: [] };
  // Every failing keyword reports up its chain of $refs; the leaves say what is actually wrong.
  const leaves = result.errors.filter(
    (e: OutputUnit) => !["$ref", "properties", "items", "allOf", "anyOf", "oneOf", "$defs"].includes(e.keyword),
  );
  const messages = [...new Set((leaves.length ? leaves : result.errors).map((e) => `${where(e.instanceLocation)}: ${e.error}`))];
  return { valid: false, errors: messages.slice(0, MAX_ERRORS) };
}
