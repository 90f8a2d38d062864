import { renderEmail } from "../email/layout";

export function endpointDisabledEmail(to: string, input: { issuerName: string; url: string; reason: string; consoleUrl: string }) {
  return renderEmail(to, {
    subject: `A webhook endpoint of ${input.issuerName} was disabled`,
    greeting: "Hello,",
    paragraphs: [
      `Laurel stopped sending events to ${input.url}: ${input.reason}`,
      "Events that happen while it is disabled are not sent to it. Once the receiver answers again, enable the endpoint in the issuer console; deliveries that were still waiting then go out, and you can redeliver the others.",
    ],
    action: { label: "Open the issuer console", url: input.consoleUrl },
    footer: "You received this email because you are an owner of this issuer on Laurel.",
  });
}
