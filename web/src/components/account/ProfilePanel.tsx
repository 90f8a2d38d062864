import { createResource, createSignal, Show } from "solid-js";
import { createFormState, formValues } from "../../lib/forms";
import { ErrorFields, graphql } from "../../lib/gql";
import { mutate, query } from "../../lib/graphql";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Checkbox, Field } from "../Field";
import { FormAlert } from "../FormAlert";

const ProfileFields = graphql(
  `fragment ProfileFields on Profile { headline photoUrl socialLinks { label url } institutions shownPublicly }`,
);
const PROFILE = graphql(`query MyProfile { me { profile { ...ProfileFields } } }`, [ProfileFields]);
const UPDATE = graphql(
  `mutation UpdateProfile($headline: String, $socialLinks: [SocialLinkInput!], $institutions: [String!]) {
    updateProfile(headline: $headline, socialLinks: $socialLinks, institutions: $institutions) { __typename ...ErrorFields ...ProfileFields }
  }`,
  [ErrorFields, ProfileFields],
);
const PHOTO = graphql(
  `mutation SetProfilePhoto($photo: File) { setProfilePhoto(photo: $photo) { __typename ...ErrorFields ...ProfileFields } }`,
  [ErrorFields, ProfileFields],
);

const SHOW = graphql(
  `mutation ShowProfilePublicly($shown: Boolean!) { showProfilePublicly(shown: $shown) { __typename ...ErrorFields ...ProfileFields } }`,
  [ErrorFields, ProfileFields],
);

/** Links are typed one per line as "Label https://…" so the form stays one textarea-like field. */
const parseLinks = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf(" ");
      return at > 0 ? { label: line.slice(0, at).trim(), url: line.slice(at + 1) } : { label: line, url: "" };
    });

export function ProfilePanel() {
  const [profile, { mutate: setProfile }] = createResource(async () => (await query(PROFILE)).me?.profile);
  const form = createFormState();
  const photo = createFormState();
  const visibility = createFormState();
  const onShown = (shown: boolean) =>
    visibility.run(
      () => mutate(SHOW, { shown }),
      (p) => setProfile(p),
    );
  const [saved, setSaved] = createSignal(false);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const v = formValues(event.currentTarget as HTMLFormElement);
    setSaved(false);
    return form.run(
      () =>
        mutate(UPDATE, {
          headline: v.headline,
          socialLinks: parseLinks(v.socialLinks ?? ""),
          institutions: (v.institutions ?? "").split("\n"),
        }),
      (p) => {
        setProfile(p);
        setSaved(true);
      },
    );
  };
  const onPhoto = (file: File | null) =>
    photo.run(
      () => mutate(PHOTO, { photo: file }),
      (p) => setProfile(p),
    );
  const linkErrors = () =>
    Object.entries(form.fieldErrors())
      .filter(([k]) => k.startsWith("socialLinks"))
      .map(([, m]) => m)
      .join(" ") || undefined;
  return (
    <section class="panel" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <Show when={profile()}>
        {(p) => (
          <>
            <Checkbox
              name="shownPublicly"
              checked={p().shownPublicly}
              disabled={visibility.submitting()}
              onChange={(e) => onShown(e.currentTarget.checked)}
            >
              Show my name and this profile on my public badge and collection pages
            </Checkbox>
            <p class="field__hint" role="status">
              {p().shownPublicly
                ? "Shown: anyone with a link to one of your badges or collections sees your name, photo, headline, links and providers."
                : "Not shown: your public pages show only the badges."}
            </p>
            <FormAlert form={visibility} />
            <div class="profile-photo">
              <Show when={p().photoUrl} fallback={<div class="profile-photo__empty" aria-hidden="true" />}>
                {(url) => <img src={url()} alt="You" width="96" height="96" />}
              </Show>
              <div class="stack">
                <label class="button button--secondary" for="profile-photo-input" aria-busy={photo.submitting() ? "true" : undefined}>
                  {photo.submitting() ? "Uploading…" : p().photoUrl ? "Change photo" : "Add a photo"}
                </label>
                <input
                  id="profile-photo-input"
                  disabled={photo.submitting()}
                  class="visually-hidden"
                  type="file"
                  accept="image/png,image/svg+xml"
                  onChange={(e) => onPhoto(e.currentTarget.files?.[0] ?? null)}
                />
                <Show when={p().photoUrl}>
                  <Button type="button" variant="link" busy={photo.submitting()} busyLabel="Removing…" onClick={() => onPhoto(null)}>
                    Remove photo
                  </Button>
                </Show>
              </div>
            </div>
            <FormAlert form={photo} field="photo" />
            <Show when={saved()}>
              <Alert kind="success">Your profile is saved.</Alert>
            </Show>
            <FormAlert form={form} />
            <form onSubmit={onSubmit} novalidate>
              <Field
                label="Headline"
                name="headline"
                value={p().headline}
                maxLength={160}
                hint="For example: Maths teacher, years 7–9"
                error={form.fieldErrors().headline}
              />
              <Field
                label="Social links, one per line: name then address"
                name="socialLinks"
                rows={3}
                value={p()
                  .socialLinks.map((l) => `${l.label} ${l.url}`)
                  .join("\n")}
                hint="LinkedIn https://www.linkedin.com/in/you"
                error={linkErrors()}
              />
              <Field
                label="Educational providers, one per line"
                name="institutions"
                rows={3}
                value={p().institutions.join("\n")}
                error={form.fieldErrors().institutions}
              />
              <Button busy={form.submitting()} busyLabel="Saving…">
                Save profile
              </Button>
            </form>
          </>
        )}
      </Show>
    </section>
  );
}
