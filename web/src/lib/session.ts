import { createResource } from "solid-js";
import { type FragmentOf, graphql } from "./gql";
import { query } from "./graphql";

export const MeFields = graphql(`
  fragment MeFields on User { id firstName lastName name primaryEmail isStaff hasPassword }
`);
export type Me = FragmentOf<typeof MeFields>;

const ME = graphql(`query Me { me { ...MeFields } }`, [MeFields]);

// The signed-in user, shared by the whole app; refetch after signing in or out.
const [me, { refetch, mutate }] = createResource(async () => (await query(ME)).me);

export const currentUser = me;
export const refreshUser = refetch;
export const setCurrentUser = mutate;
