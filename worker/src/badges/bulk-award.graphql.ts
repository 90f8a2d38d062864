import { builder } from "../graphql/builder";
import { ErrorInterface } from "../graphql/errors.graphql";
import { ForbiddenError, IdempotencyKeyReusedError, NotFoundError } from "../lib/errors";
import { bulkAward, CsvRejectedError } from "./bulk-award";

// Awarding a badge class to every row of a CSV file.

const RowProblemType = builder.objectRef<{ line: number; field: string; message: string }>("CsvRowProblem").implement({
  fields: (t) => ({ line: t.exposeInt("line"), field: t.exposeString("field"), message: t.exposeString("message") }),
});

builder.objectType(CsvRejectedError, {
  name: "CsvRejectedError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ problems: t.field({ type: [RowProblemType], resolve: (e) => e.rows }) }),
});

const BulkAwardReportType = builder.objectRef<Awaited<ReturnType<typeof bulkAward>>>("BulkAwardReport").implement({
  fields: (t) => ({
    rows: t.exposeInt("rows"),
    created: t.exposeInt("created"),
    alreadyAwarded: t.exposeInt("alreadyAwarded", { description: "Rows awarded by an earlier upload of the same data." }),
  }),
});

builder.mutationFields((t) => ({
  bulkAward: t.withAuth({ actor: "awards:write" }).field({
    type: BulkAwardReportType,
    description:
      "Awards a badge class to every row of a CSV (header: email, name, narrative, evidence_url, issued_on, expires_on; only email required), or to none when any row has a problem. Uploading the same rows again awards nothing twice.",
    errors: { types: [NotFoundError, ForbiddenError, CsvRejectedError, IdempotencyKeyReusedError] },
    args: {
      badgeClassId: t.arg.id(),
      csv: t.arg.string({ required: false }),
      file: t.arg({ type: "File", required: false }),
      idempotencyKey: t.arg.string({
        required: false,
        description:
          "A fresh random key per upload: a retry with the same key and rows returns the first upload's report. Integrations may send it as the Idempotency-Key header instead.",
      }),
    },
    resolve: async (_r, args, ctx) =>
      bulkAward(
        ctx,
        ctx.user,
        String(args.badgeClassId),
        args.file ? await args.file.text() : (args.csv ?? ""),
        args.idempotencyKey ?? ctx.idempotencyKey,
      ),
  }),
}));
