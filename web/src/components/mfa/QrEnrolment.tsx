import { type FragmentOf, graphql } from "../../lib/gql";
import { CopyButton } from "../CopyButton";

export const EnrolmentFields = graphql(`
  fragment EnrolmentFields on MfaEnrolment { qrCodeSvg secret accountName }
`);
export type Enrolment = FragmentOf<typeof EnrolmentFields>;

/**
 * The QR code to scan, and "Trouble scanning?" with the secret to type. The SVG is shown as
 * an image, so markup from the API never enters the page's DOM.
 */
export function QrEnrolment(props: { enrolment: Enrolment }) {
  const src = () => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(props.enrolment.qrCodeSvg)}`;
  return (
    <div class="enrol">
      <ol class="steps">
        <li>Open an authenticator app: Google Authenticator, Microsoft Authenticator, or any app that shows 6-digit codes.</li>
        <li>Add an account and scan this QR code.</li>
      </ol>
      <img
        class="enrol__qr"
        src={src()}
        alt={`QR code to add Laurel (${props.enrolment.accountName}) to an authenticator app`}
        width="220"
        height="220"
      />
      <details class="enrol__manual">
        <summary>Trouble scanning?</summary>
        <p>Enter this key in your app instead (account: {props.enrolment.accountName}, time-based):</p>
        <p class="secret" data-testid="totp-secret">
          {props.enrolment.secret}
        </p>
        <CopyButton text={props.enrolment.secret.replaceAll(" ", "")} label="Copy key" />
      </details>
    </div>
  );
}
