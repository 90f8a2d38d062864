import { createResource } from "solid-js";
import { query } from "./graphql";

export interface Me {
  id: string;
  firstName: string;
  lastName: string;
  name: string;
  primaryEmail: string;
  isStaff: boolean;
  hasPassword: boolean;
}

const ME = "{ me { id firstName lastName name primaryEmail isStaff hasPassword } }";

// The signed-in user, shared by the whole app; refetch after signing in or out.
const [me, { refetch, mutate }] = createResource(async () => (await query<{ me: Me | null }>(ME)).me);

export const currentUser = me;
export const refreshUser = refetch;
export const setCurrentUser = mutate;
