import { checkUrl } from "../badges/checks";
import type { Problems } from "../lib/errors";
import type { SubmissionPart } from "./micro-credentials.table";
import type { Answers } from "./submissions.table";

export interface AnswerInput {
  partId: string;
  text?: string | null;
  url?: string | null;
  public?: boolean | null;
}

export const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/**
 * Merges a draft's typed answers into what it has (files stay: they arrive by upload), and
 * checks each against its part: the word limit of text parts, links that are web addresses.
 */
export function mergeAnswers(problems: Problems, parts: SubmissionPart[], current: Answers, input: AnswerInput[]): Answers {
  const next: Answers = structuredClone(current);
  for (const [i, answer] of input.entries()) {
    const field = `answers.${i}`;
    const part = parts.find((p) => p.id === answer.partId);
    if (!part) {
      problems.add(`${field}.partId`, "That is not one of this micro-credential's parts.");
      continue;
    }
    if (part.kind === "text") {
      const text = (answer.text ?? "").trim();
      if (text.length > 200_000) problems.add(`${field}.text`, "This answer is too long.");
      else if (part.wordLimit && countWords(text) > part.wordLimit) {
        problems.add(`${field}.text`, `"${part.title}" takes at most ${part.wordLimit} words; this has ${countWords(text)}.`);
      }
      next[part.id] = { text: text || null };
    } else if (part.kind === "link") {
      next[part.id] = { url: checkUrl(problems, `${field}.url`, answer.url), public: answer.public ?? false };
    } else if (answer.text || answer.url) {
      problems.add(`${field}.partId`, `"${part.title}" takes a file: upload it instead.`);
    }
  }
  return next;
}

/** What a hand-in lacks: every required part answered, and nothing over its limits. */
export function checkComplete(problems: Problems, parts: SubmissionPart[], answers: Answers) {
  for (const part of parts) {
    const answer = answers[part.id];
    const given = part.kind === "text" ? !!answer?.text : part.kind === "link" ? !!answer?.url : !!answer?.file;
    if (part.required && !given) problems.add(`parts.${part.id}`, `Complete "${part.title}" before you submit.`);
    if (part.kind === "text" && part.wordLimit && answer?.text && countWords(answer.text) > part.wordLimit) {
      problems.add(`parts.${part.id}`, `"${part.title}" takes at most ${part.wordLimit} words.`);
    }
  }
}
