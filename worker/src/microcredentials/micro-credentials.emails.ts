import { renderEmail } from "../email/layout";

export function submissionReceivedEmail(to: string, input: { badgeName: string; round: number; reviewUrl: string }) {
  return renderEmail(to, {
    subject: `${input.round > 1 ? "Resubmitted" : "New submission"} for "${input.badgeName}"`,
    greeting: "Hello,",
    paragraphs: [
      input.round > 1
        ? `A learner revised and resubmitted their work for the "${input.badgeName}" micro-credential.`
        : `A learner submitted their work for the "${input.badgeName}" micro-credential.`,
      "It waits in your issuer's assessor queue.",
    ],
    action: { label: "Open the queue", url: input.reviewUrl },
    footer: "You received this email because you review submissions for this issuer on Laurel.",
  });
}

export function submissionReturnedEmail(to: string, input: { badgeName: string; issuerName: string; comment: string; url: string }) {
  return renderEmail(to, {
    subject: `Your "${input.badgeName}" submission needs revision`,
    greeting: "Hello,",
    paragraphs: [
      `An assessor at ${input.issuerName} reviewed your submission for "${input.badgeName}" and returned it for revision.`,
      `Their feedback: ${input.comment}`,
      "Your work and the feedback on each rubric criterion are saved: revise it and resubmit when you are ready.",
    ],
    action: { label: "See the feedback", url: input.url },
  });
}

export function submissionNotAwardedEmail(to: string, input: { badgeName: string; issuerName: string; comment: string; url: string }) {
  return renderEmail(to, {
    subject: `Your "${input.badgeName}" submission was not awarded`,
    greeting: "Hello,",
    paragraphs: [
      `An assessor at ${input.issuerName} reviewed your submission for "${input.badgeName}" and did not award the micro-credential.`,
      `The reason given: ${input.comment}`,
      "You may start a new submission when you are ready.",
    ],
    action: { label: "See the review", url: input.url },
  });
}
