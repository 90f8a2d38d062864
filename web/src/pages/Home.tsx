import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { Page } from "../components/Page";
import { currentUser } from "../lib/session";

export default function Home() {
  return (
    <Show
      when={currentUser()}
      fallback={
        <Page
          title="Micro-credentials that travel with you"
          lead="Earn competency-based, evidence-backed badges, keep them in one backpack, and share them anywhere."
        >
          <p>
            <A class="button button--primary" href="/register">
              Create an account
            </A>{" "}
            <A class="button button--secondary" href="/sign-in">
              Sign in
            </A>
          </p>
          <p>
            <A href="/micro-credentials">Browse the micro-credentials you can earn</A>
          </p>
        </Page>
      }
    >
      {(user) => (
        <Page title={`Welcome, ${user().firstName}`} lead="This is your Laurel home.">
          <ul class="cards">
            <li class="card">
              <h2>Your backpack</h2>
              <p>Every badge awarded to your verified emails.</p>
              <A href="/backpack">Open backpack</A>
            </li>
            <li class="card">
              <h2>Your micro-credentials</h2>
              <p>Drafts, submissions waiting for review, and the assessors' feedback.</p>
              <A href="/submissions">My submissions</A> · <A href="/micro-credentials">Find one to start</A>
            </li>
            <li class="card">
              <h2>Issue badges</h2>
              <p>Define badges for your organisation and award them.</p>
              <A href="/issuers">Issuers</A>
            </li>
            <li class="card">
              <h2>Your account</h2>
              <p>Your name, emails and signed-in devices.</p>
              <A href="/account">Account settings</A>
            </li>
          </ul>
        </Page>
      )}
    </Show>
  );
}
