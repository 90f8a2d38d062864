import { Page } from "../components/Page";

export default function Privacy() {
  return (
    <Page title="Privacy policy" narrow>
      <p>Version 2026-11-01.</p>
      <p>
        We store your name, your email addresses, a salted hash of your password (never the password itself), your authenticator secret
        (encrypted), the badges awarded to your addresses and a record of security events such as sign-ins and password changes.
      </p>
      <p>
        Public badge documents identify you only by a salted hash of your email address, so a verifier who already knows your address can
        check it, and nobody else learns it. You decide which badges you share.
      </p>
      <p>We use a cookie to keep you signed in and, if you ask, one to remember your device for 30 days. We use no advertising trackers.</p>
    </Page>
  );
}
