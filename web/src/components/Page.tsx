import { createEffect, type JSX } from "solid-js";

/** A page's heading and document title in one place. */
export function Page(props: { title: string; narrow?: boolean; children: JSX.Element; lead?: JSX.Element }) {
  createEffect(() => {
    document.title = `${props.title} · Laurel`;
  });
  return (
    <section class="page" classList={{ "page--narrow": props.narrow }}>
      <h1>{props.title}</h1>
      {props.lead ? <p class="page__lead">{props.lead}</p> : null}
      {props.children}
    </section>
  );
}
