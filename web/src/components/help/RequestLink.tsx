import { A } from "@solidjs/router";

// Requests (tickets) will live at /help/requests/new; until that page exists, "Submit a request"
// leads to the help centre's search rather than to a page that is not there.
export const REQUEST_PATH = "/help";

/** "Have more questions? Submit a request", under an article and after a search with no hit. */
export function RequestLink() {
  return (
    <p class="help-request">
      Have more questions? <A href={REQUEST_PATH}>Submit a request</A>
    </p>
  );
}
