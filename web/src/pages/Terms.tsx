import { Page } from "../components/Page";

export default function Terms() {
  return (
    <Page title="End user terms" narrow>
      <p>Version 2026-11-01.</p>
      <p>
        Laurel keeps the micro-credentials (badges) that issuers award to you, and lets you show them to anyone you choose. By creating an
        account you agree to keep your sign-in details and authenticator to yourself, to give true information about who you are, and not to
        misuse the service (for example by trying to reach accounts that are not yours or by claiming badges you did not earn).
      </p>
      <p>
        Badges belong to the record of the issuer who awarded them. An issuer may revoke a badge; a revoked badge leaves your backpack and
        public verifiers see that it was revoked and why.
      </p>
      <p>You may close your account at any time. We may suspend accounts that break these terms, and will tell you why by email.</p>
    </Page>
  );
}
