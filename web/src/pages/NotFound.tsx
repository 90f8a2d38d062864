import { A } from "@solidjs/router";
import { Page } from "../components/Page";

export default function NotFound() {
  return (
    <Page title="Page not found" narrow>
      <p>
        There is nothing at this address. <A href="/">Go to the home page</A>.
      </p>
    </Page>
  );
}
