// Only imports: each domain registers its own types on the builder.
import "./scalars.graphql";
import "./errors.graphql";
import "../accounts/accounts.graphql";
import "../accounts/emails.graphql";
import "../accounts/profile.graphql";
import "../sessions/sessions.graphql";
import "../mfa/mfa.graphql";
import "../auth/sign-in-step.graphql";
import "../auth/sign-in.graphql";
import "../auth/pending-sign-in.graphql";
import "../auth/setup.graphql";
import "../auth/second-factor.graphql";
import "../badges/issuer.graphql";
import "../badges/alignment.graphql";
import "../badges/badge-class.graphql";
import "../badges/members.graphql";
import "../badges/award.graphql";
import "../badges/bulk-award.graphql";
import "../badges/backpack.graphql";
import "../verification/sharing.graphql";
import "../verification/credentials.graphql";
import "../collections/collections.graphql";
import "../sso/sso.graphql";
import { builder } from "./builder";

export const schema = builder.toSchema();
