import { A, useLocation } from "@solidjs/router";
import { requestPath } from "../../lib/tickets";

/** "Have more questions? Submit a request", under an article and after a search with no hit. */
export function RequestLink() {
  const location = useLocation();
  return (
    <p class="help-request">
      Have more questions? <A href={requestPath(location.pathname + location.search)}>Submit a request</A>
    </p>
  );
}
