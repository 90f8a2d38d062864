import { builder } from "./builder";

builder.scalarType("DateTime", {
  description: "An ISO 8601 date-time in UTC.",
  serialize: (value) => new Date(value).toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError("DateTime must be an ISO 8601 string");
    return date;
  },
});

builder.scalarType("File", {
  description: "An uploaded file (GraphQL multipart request).",
  serialize: () => {
    throw new TypeError("File is an input-only scalar");
  },
  parseValue: (value) => {
    if (!(value instanceof File)) throw new TypeError("Expected an uploaded file");
    return value;
  },
});
