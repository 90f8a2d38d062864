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
