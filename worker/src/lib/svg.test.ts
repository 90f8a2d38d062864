import { DOMParser, type Element as XmlDomElement } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { BENIGN_SVGS, HOSTILE_SVGS, UNREADABLE_SVGS } from "../../test/svg-corpus";
import { SvgError, sanitiseSvg } from "./svg";

// The output is read back with an independent, namespace-aware XML parser (xmldom), and judged
// by rules written here, not by the sanitiser's own allow-list.

const SVG_NS = "http://www.w3.org/2000/svg";
const ACTIVE =
  /^(script|foreignObject|set|animate|animateMotion|animateTransform|animateColor|discard|iframe|embed|object|handler|listener)$/;

function parse(text: string) {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`xmldom: ${message}`);
    },
  }).parseFromString(text, "image/svg+xml");
}

const elementsOf = (element: XmlDomElement): XmlDomElement[] => [
  element,
  ...Array.from(element.childNodes)
    .filter((n): n is XmlDomElement => n.nodeType === 1)
    .flatMap(elementsOf),
];

/** Throws unless the document can neither run script nor fetch anything. */
function expectInert(svg: string) {
  const root = parse(svg).documentElement!;
  for (const element of elementsOf(root)) {
    expect(element.namespaceURI).toBe(SVG_NS);
    expect(element.localName).not.toMatch(ACTIVE);
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.prefix === "xmlns" || attribute.name === "xmlns") continue;
      expect(attribute.localName).not.toMatch(/^on/i);
      expect(attribute.name).not.toBe("xml:base");
      if (attribute.localName === "href") expect(attribute.value).toMatch(/^(#[\w.:-]+|data:image\/(png|jpeg|gif|webp);base64,[\w+/=]+)$/);
    }
  }
  const withoutDeclarations = svg.replace(/ xmlns(:\w+)?="[^"]*"/g, "");
  expect(withoutDeclarations).not.toMatch(/javascript|@import|url\((?!#)|expression\(|image-set|https?:/i);
}

describe("sanitiseSvg: hostile files", () => {
  it.each(HOSTILE_SVGS)("%s: reported as active and written inert", (_label, svg) => {
    const clean = sanitiseSvg(svg);
    expect(clean.findings.some((f) => f.active)).toBe(true);
    expectInert(clean.svg);
    // The harmless rest survives.
    expect(clean.svg).toContain('<circle cx="60" cy="60" r="50" fill="#1f6f4a"/>');
  });

  it.each(UNREADABLE_SVGS)("%s: refused with the reason", (_label, svg, reason) => {
    expect(() => sanitiseSvg(svg)).toThrow(SvgError);
    expect(() => sanitiseSvg(svg)).toThrow(reason);
  });

  it("refuses a billion laughs at once, without expanding anything", () => {
    const [, svg] = UNREADABLE_SVGS[0]!;
    const started = performance.now();
    expect(() => sanitiseSvg(svg)).toThrow(/entity declarations/);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("refuses what is not an SVG, and reports the line of a syntax error", () => {
    expect(() => sanitiseSvg('<html xmlns="http://www.w3.org/1999/xhtml"/>')).toThrow("The file is not an SVG image.");
    expect(() => sanitiseSvg(`<svg xmlns="${SVG_NS}">\n<g>\n<rect/>\n</svg>`)).toThrow("</svg> closes <g> (line 4)");
  });

  it("writes text and attribute values escaped, so nothing breaks out of them", () => {
    const clean = sanitiseSvg(
      `<svg xmlns="${SVG_NS}" width="90" height="90"><text id="a&quot;b">&lt;/text&gt;&lt;script&gt;]]&gt;</text></svg>`,
    );
    expect(clean.svg).toContain('<text id="a&quot;b">&lt;/text&gt;&lt;script&gt;]]&gt;</text>');
    expect(parse(clean.svg).getElementsByTagName("script").length).toBe(0);
  });

  it("treats an SVG without a namespace as SVG, as browsers do inline, and still drops its script", () => {
    const clean = sanitiseSvg('<svg width="100" height="100"><script>alert(1)</script><rect width="5" height="5"/></svg>');
    expect(clean.findings).toContainEqual({ active: true, what: "a script" });
    expect(clean.svg).toContain(`<svg xmlns="${SVG_NS}" width="100" height="100"><rect width="5" height="5"/></svg>`);
  });
});

/** The rendering-relevant shape of a document: SVG elements, their attributes (styles normalised) and text. */
function shape(element: XmlDomElement, drop: { elements: string[]; declarations: string[] }): unknown {
  const normaliseStyle = (value: string) =>
    value
      .split(";")
      .map((d) => d.trim().replace(/\s*:\s*/, ":"))
      .filter((d) => d && !drop.declarations.includes(d.split(":")[0]!))
      .join(";");
  const attributes: Record<string, string> = {};
  // A <style> is rebuilt as plain text/css: its rules are compared, not its type attribute.
  for (const attribute of element.localName === "style" ? [] : Array.from(element.attributes)) {
    const name = attribute.name;
    const kept = attribute.namespaceURI === null || name === "xlink:href" || name === "xml:space";
    if (!kept || name === "xmlns" || attribute.prefix === "xmlns") continue;
    const value = name === "style" ? normaliseStyle(attribute.value) : attribute.value;
    if (value) attributes[name] = value;
  }
  const children: unknown[] = [];
  for (const node of Array.from(element.childNodes)) {
    if (node.nodeType === 1) {
      const child = node as XmlDomElement;
      if (child.namespaceURI === SVG_NS && !drop.elements.includes(child.localName!)) children.push(shape(child, drop));
    } else if ((node.nodeType === 3 || node.nodeType === 4) && node.nodeValue?.trim()) {
      children.push(element.localName === "style" ? node.nodeValue.replace(/\s+|;(?=})/g, "") : node.nodeValue.trim());
    }
  }
  return { name: element.localName, attributes, children };
}

describe("sanitiseSvg: badges as tools export them", () => {
  it.each(BENIGN_SVGS)("%s: keeps every element, attribute and style that draws", (_label, svg) => {
    const clean = sanitiseSvg(svg);
    expect(clean.findings.filter((f) => f.active)).toEqual([]);
    expectInert(clean.svg);
    // Only editor metadata and Illustrator's obsolete enable-background go.
    const drop = { elements: ["metadata"], declarations: ["enable-background"] };
    expect(shape(parse(clean.svg).documentElement!, drop)).toEqual(shape(parse(svg).documentElement!, drop));
  });

  it("reports the editor metadata it drops as inert", () => {
    const [, inkscape] = BENIGN_SVGS[1]!;
    const findings = sanitiseSvg(inkscape).findings;
    expect(findings).toContainEqual({ active: false, what: "the element <sodipodi:namedview>" });
    expect(findings).toContainEqual({ active: false, what: "the attribute inkscape:label" });
    expect(findings.every((f) => !f.active)).toBe(true);
  });

  it("is stable: sanitising its own output changes nothing", () => {
    for (const [, svg] of BENIGN_SVGS) {
      const once = sanitiseSvg(svg).svg;
      expect(sanitiseSvg(once).svg).toBe(once);
      expect(sanitiseSvg(once).findings).toEqual([]);
    }
  });

  it("reads the declared size, else the viewBox", () => {
    expect(BENIGN_SVGS.map(([, svg]) => sanitiseSvg(svg).size)).toEqual([
      { width: 200, height: 200 },
      { width: 256, height: 256 },
      { width: 160, height: 160 },
    ]);
    expect(sanitiseSvg(`<svg xmlns="${SVG_NS}" width="10cm" height="10cm"/>`).size).toBeNull();
  });
});
