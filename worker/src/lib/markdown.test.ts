import { describe, expect, it } from "vitest";
import { anchorOf, renderMarkdown, safeLink } from "./markdown";

const html = (markdown: string) => renderMarkdown(markdown, { siteOrigin: "https://laurel.example" }).html;

const ALLOWED_TAGS = new Set("p h2 h3 h4 ul ol li strong em del code pre blockquote a span table thead tbody tr th td hr br".split(" "));
const ALLOWED_ATTRIBUTES = new Set(["href", "title", "rel", "class", "aria-hidden", "id", "scope", "start"]);
/** One tag as the renderer writes them: a name, then double-quoted attributes whose values hold no quote. */
const STRICT_TAG = /^<\/?([a-z][a-z0-9]*)((?:\s[a-z-]+="[^"<>]*")*)>$/;

/**
 * Parses the output the way a browser would start to: every "<" opens a tag (text has none, it
 * is escaped), and each tag must be an allowed one with allowed attributes and safe link targets.
 */
function expectSafe(output: string) {
  for (const match of output.matchAll(/<[^>]*>?/g)) {
    const parsed = STRICT_TAG.exec(match[0]);
    expect(parsed, `malformed tag ${match[0]} in ${output}`).not.toBeNull();
    expect(ALLOWED_TAGS, `tag ${match[0]}`).toContain(parsed![1]);
    for (const attribute of parsed![2]!.matchAll(/\s([a-z-]+)="([^"]*)"/g)) {
      expect(ALLOWED_ATTRIBUTES, `attribute ${attribute[1]} in ${match[0]}`).toContain(attribute[1]);
      if (attribute[1] === "href") expect(attribute[2]).toMatch(/^(https?:\/\/|mailto:|\/[^/\\]|#|[a-z0-9-]+(\/|$))/i);
    }
  }
}

describe("Markdown to safe HTML", () => {
  it("renders the allowed structure", () => {
    const output = html(
      "# Title\n\n## Trouble scanning?\n\nSome **bold**, *em*, ~~gone~~ and `code`.\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n```\nx < y\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n",
    );
    expect(output).toContain('<h2 id="title">Title</h2>');
    expect(output).toContain('<h2 id="trouble-scanning">Trouble scanning?</h2>');
    expect(output).toContain("<strong>bold</strong>");
    expect(output).toContain("<em>em</em>");
    expect(output).toContain("<del>gone</del>");
    expect(output).toContain("<code>code</code>");
    expect(output).toContain("<ul>\n<li>one</li>");
    expect(output).toContain('<ol start="3">');
    expect(output).toContain("<blockquote>\n<p>quoted</p>");
    expect(output).toContain("<pre><code>x &lt; y</code></pre>");
    expect(output).toContain('<th scope="col">a</th>');
    expect(output).toContain("<td>2</td>");
    expectSafe(output);
  });

  it("clamps headings to h2-h4 and gives repeated headings distinct anchors", () => {
    const rendered = renderMarkdown("##### Deep\n\n## Same\n\n## Same\n");
    expect(rendered.html).toContain('<h4 id="deep">');
    expect(rendered.anchors).toEqual(["deep", "same", "same-2"]);
  });

  it.each([
    ["a script block", "<script>alert(1)</script>"],
    ["an inline script", "Hello <script>alert(1)</script> there"],
    ["an event handler", '<img src=x onerror="alert(1)">'],
    ["an SVG with onload", "<svg onload=alert(1)></svg>"],
    ["an iframe", '<iframe src="https://evil.example"></iframe>'],
    ["a style block", "<style>body{display:none}</style>"],
    ["a tag split over lines", "<a\nhref=javascript:alert(1)>x</a>"],
    ["an HTML comment", "<!-- <script>alert(1)</script> -->"],
  ])("shows %s as text", (_name, markdown) => {
    const output = html(markdown);
    expectSafe(output);
    expect(output).toContain("&lt;");
  });

  it.each([
    ["javascript:", "[click](javascript:alert(1))"],
    ["JavaScript: in capitals", "[click](JaVaScRiPt:alert(1))"],
    ["a tab inside the scheme", "[click](java\tscript:alert(1))"],
    ["an entity-encoded scheme", "[click](&#106;avascript:alert(1))"],
    ["a hex entity scheme", "[click](&#x6A;avascript&#x3A;alert(1))"],
    ["an encoded colon", "[click](javascript&colon;alert(1))"],
    ["data:", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["vbscript:", "[click](vbscript:msgbox(1))"],
    ["a reference-style javascript: link", "[click][x]\n\n[x]: javascript:alert(1)"],
    ["a protocol-relative URL", "[click](//evil.example/x)"],
    ["a backslash protocol-relative URL", "[click](\\\\evil.example/x)"],
  ])("drops a link to %s and keeps its text", (_name, markdown) => {
    const output = html(markdown);
    expectSafe(output);
    expect(output).not.toContain("<a ");
    expect(output).toContain("click");
  });

  it("keeps http(s), mailto, relative and anchor links, and marks external ones", () => {
    const output = html(
      "[ext](https://www.linkedin.com/feed/) [own](https://laurel.example/verify) [mail](mailto:help@laurel.example) [rel](/account/security) [anchor](#trouble-scanning)",
    );
    expect(output).toContain(
      '<a href="https://www.linkedin.com/feed/" rel="noopener noreferrer" class="external">ext<span class="external-mark" aria-hidden="true"> ↗</span><span class="visually-hidden"> (external link)</span></a>',
    );
    expect(output).toContain('<a href="https://laurel.example/verify">own</a>');
    expect(output).toContain('<a href="mailto:help@laurel.example">mail</a>');
    expect(output).toContain('<a href="/account/security">rel</a>');
    expect(output).toContain('<a href="#trouble-scanning">anchor</a>');
    expectSafe(output);
  });

  it("cannot break out of an attribute with quotes in a URL or title", () => {
    const output = html(`[x](https://ok.example/"onmouseover="alert(1) "a \\"quoted\\" 'title' onclick=1")`);
    expectSafe(output);
    expect(output).not.toMatch(/"\s*onmouseover=/);
  });

  it("escapes quotes nested in emphasis, code and block quotes", () => {
    const output = html('> > **"<b onclick=\'x\'>"** `"<i>"`\n');
    expectSafe(output);
    expect(output).toContain("&quot;&lt;b onclick=&#39;x&#39;&gt;&quot;");
    expect(output).toContain("<code>&quot;&lt;i&gt;&quot;</code>");
  });

  it("decodes entities in text once, so encoded tags stay text", () => {
    expect(html("Tom &amp; Jerry")).toContain("Tom &amp; Jerry");
    const output = html("&lt;script&gt;alert(1)&lt;/script&gt; and &amp;lt;b&amp;gt;");
    expectSafe(output);
    expect(output).toContain("&lt;script&gt;alert(1)&lt;/script&gt; and &amp;lt;b&amp;gt;");
  });

  it("turns images into their alt text", () => {
    const output = html('![a badge](https://evil.example/x.png "t") ![x](javascript:alert(1))');
    expectSafe(output);
    expect(output).toContain("a badge");
  });

  it("gives the plain text for search", () => {
    const { text } = renderMarkdown("## Recovery code\n\nUse **Show recovery code** once.\n\n<b>raw</b>");
    expect(text).toContain("Recovery code");
    expect(text).toContain("Use Show recovery code once.");
    expect(text).toContain("<b>raw</b>");
  });

  it("anchors and link checks", () => {
    expect(anchorOf("Remember this device (30 days)")).toBe("remember-this-device-30-days");
    expect(safeLink("https://laurel.example/x", { siteOrigin: "https://laurel.example" })).toEqual({
      href: "https://laurel.example/x",
      external: false,
    });
    expect(safeLink("ftp://x.example/")).toBeNull();
  });
});
