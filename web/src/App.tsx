import { Route, Router } from "@solidjs/router";
import { type Component, lazy } from "solid-js";
import { Layout } from "./components/Layout";
import { RequireUser } from "./components/RequireUser";
import Home from "./pages/Home";
import NotFound from "./pages/NotFound";

const SignIn = lazy(() => import("./pages/SignIn"));
const Register = lazy(() => import("./pages/Register"));
const VerifyRegistration = lazy(() => import("./pages/VerifyRegistration"));
const ForgotPassword = lazy(() => import("./pages/ForgotPassword"));
const ResetPassword = lazy(() => import("./pages/ResetPassword"));
const Account = lazy(() => import("./pages/Account"));
const Security = lazy(() => import("./pages/Security"));
const Backpack = lazy(() => import("./pages/Backpack"));
const BadgeDetail = lazy(() => import("./pages/BadgeDetail"));
const Collections = lazy(() => import("./pages/Collections"));
const CollectionEditor = lazy(() => import("./pages/CollectionEditor"));
const Issuers = lazy(() => import("./pages/Issuers"));
const IssuerConsole = lazy(() => import("./pages/IssuerConsole"));
const BadgeClassPage = lazy(() => import("./pages/BadgeClassPage"));
const MfaSetup = lazy(() => import("./pages/MfaSetup"));
const SecondFactor = lazy(() => import("./pages/SecondFactor"));
const ContinueSignIn = lazy(() => import("./pages/ContinueSignIn"));
const Mailbox = lazy(() => import("./pages/Mailbox"));
const Invitation = lazy(() => import("./pages/Invitation"));
const MyPathways = lazy(() => import("./pages/MyPathways"));
const Pathway = lazy(() => import("./pages/Pathway"));
const PathwayBuilder = lazy(() => import("./pages/PathwayBuilder"));
const Verify = lazy(() => import("./pages/Verify"));
const MicroCredentials = lazy(() => import("./pages/MicroCredentials"));
const MicroCredential = lazy(() => import("./pages/MicroCredential"));
const MicroCredentialEditor = lazy(() => import("./pages/MicroCredentialEditor"));
const Submissions = lazy(() => import("./pages/Submissions"));
const Submission = lazy(() => import("./pages/Submission"));
const ReviewQueue = lazy(() => import("./pages/ReviewQueue"));
const Review = lazy(() => import("./pages/Review"));
const Terms = lazy(() => import("./pages/Terms"));
const Privacy = lazy(() => import("./pages/Privacy"));
const Help = lazy(() => import("./pages/Help"));
const HelpArticle = lazy(() => import("./pages/HelpArticle"));
const SubmitRequest = lazy(() => import("./pages/SubmitRequest"));
const MyTickets = lazy(() => import("./pages/MyTickets"));
const Ticket = lazy(() => import("./pages/Ticket"));
const StaffTickets = lazy(() => import("./pages/StaffTickets"));
const StaffTicket = lazy(() => import("./pages/StaffTicket"));

const signedIn = (Page: Component) => () => (
  <RequireUser>
    <Page />
  </RequireUser>
);

export function App() {
  return (
    <Router root={Layout}>
      <Route path="/" component={Home} />
      <Route path="/sign-in" component={SignIn} />
      <Route path="/sign-in/setup" component={MfaSetup} />
      <Route path="/sign-in/code" component={SecondFactor} />
      <Route path="/sign-in/continue" component={ContinueSignIn} />
      <Route path="/register" component={Register} />
      <Route path="/register/verify" component={VerifyRegistration} />
      <Route path="/forgot-password" component={ForgotPassword} />
      <Route path="/reset-password" component={ResetPassword} />
      <Route path="/account" component={signedIn(Account)} />
      <Route path="/account/security" component={signedIn(Security)} />
      <Route path="/backpack" component={signedIn(Backpack)} />
      <Route path="/backpack/:id" component={signedIn(BadgeDetail)} />
      <Route path="/backpack/collections" component={signedIn(Collections)} />
      <Route path="/backpack/collections/:id" component={signedIn(CollectionEditor)} />
      <Route path="/issuers" component={signedIn(Issuers)} />
      <Route path="/issuers/:id" component={signedIn(IssuerConsole)} />
      <Route path="/issuers/:id/badge-classes/:classId" component={signedIn(BadgeClassPage)} />
      <Route path="/issuers/:id/reviews" component={signedIn(ReviewQueue)} />
      <Route path="/issuers/:id/reviews/:submissionId" component={signedIn(Review)} />
      <Route path="/issuers/:id/micro-credentials/:badgeClassId" component={signedIn(MicroCredentialEditor)} />
      <Route path="/micro-credentials" component={MicroCredentials} />
      <Route path="/micro-credentials/:id" component={MicroCredential} />
      <Route path="/submissions" component={signedIn(Submissions)} />
      <Route path="/submissions/:id" component={signedIn(Submission)} />
      <Route path="/issuers/:id/pathways/:pathwayId" component={signedIn(PathwayBuilder)} />
      <Route path="/pathways" component={signedIn(MyPathways)} />
      <Route path="/pathways/:id" component={signedIn(Pathway)} />
      <Route path="/invitations/:token" component={Invitation} />
      <Route path="/dev/mailbox" component={Mailbox} />
      <Route path="/verify" component={Verify} />
      <Route path="/help" component={Help} />
      <Route path="/help/articles/:slug" component={HelpArticle} />
      <Route path="/help/requests/new" component={SubmitRequest} />
      <Route path="/help/requests" component={signedIn(MyTickets)} />
      <Route path="/help/requests/:id" component={Ticket} />
      <Route path="/staff/tickets" component={StaffTickets} />
      <Route path="/staff/tickets/:id" component={StaffTicket} />
      <Route path="/terms" component={Terms} />
      <Route path="/privacy" component={Privacy} />
      <Route path="*404" component={NotFound} />
    </Router>
  );
}
