// SVG files for the sanitiser's tests: hostile ones (each a way past a pattern filter, most of
// them seen in the wild) and benign badges as design tools export them. Shared by the worker
// tests and the browser test that compares renderings.

const SVG = 'xmlns="http://www.w3.org/2000/svg"';
const XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"';
const wrap = (body: string, rootAttributes = "") =>
  `<svg ${SVG} ${XLINK} width="120" height="120" viewBox="0 0 120 120"${rootAttributes}><circle cx="60" cy="60" r="50" fill="#1f6f4a"/>${body}</svg>`;

/** [label, file]: each must be refused at upload and come out of the sanitiser inert. */
export const HOSTILE_SVGS: [string, string][] = [
  ["a script", wrap("<script>alert(1)</script>")],
  ["a script in CDATA", wrap("<script><![CDATA[ if (1 < 2) alert(document.domain) ]]></script>")],
  ["a script under another SVG prefix", wrap('<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>')],
  ["a script under a rebound default namespace", wrap('<g xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></g>')],
  ["an XHTML script", wrap('<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script>')],
  ["an XHTML script by default namespace", wrap('<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>')],
  [
    "an entity-encoded javascript: in <set>",
    wrap('<a id="l"><text x="10" y="20">x</text></a><set href="#l" attributeName="href" to="&#106;avascript&#58;alert(1)"/>'),
  ],
  ["an <animate> rewriting href", wrap('<a id="l"><text>x</text><animate attributeName="href" values="javascript:alert(1)"/></a>')],
  ["an entity-encoded javascript: in <a href>", wrap('<a href="&#x6A;avascript&#x3A;alert(1)"><text y="20">x</text></a>')],
  ["a tab-split javascript: in <a xlink:href>", wrap('<a xlink:href="java&#9;script:alert(1)"><text y="20">x</text></a>')],
  ["a mixed-case JaVaScRiPt: link", wrap('<a href=" JaVaScRiPt:alert(1)"><text y="20">x</text></a>')],
  ["an external xlink:href on <use>", wrap('<use xlink:href="https://evil.example/sprite.svg#a"/>')],
  ["an external <image>", wrap('<image href="https://evil.example/track.png" width="10" height="10"/>')],
  ["an external <feImage>", wrap('<filter id="f"><feImage href="https://evil.example/x.png"/></filter>')],
  ["<use> of an SVG data URL", wrap('<use href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+#x"/>')],
  ["an <image> of an SVG data URL", wrap('<image href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" width="9" height="9"/>')],
  ["a CSS @import", wrap("<style>@import url(https://evil.example/x.css); circle { fill: red }</style>")],
  ["a CSS @import spelled with an escape", wrap("<style>@\\69mport 'https://evil.example/x.css';</style>")],
  ["a CSS @font-face from elsewhere", wrap("<style>@font-face { font-family: x; src: url(https://evil.example/f.woff) }</style>")],
  ["a CSS url() to another server", wrap("<style>.a { fill: url(https://evil.example/p.svg#x) }</style>")],
  ["a CSS url() spelled with an escape", wrap('<rect width="9" height="9" style="fill: u\\72l(https://evil.example/#x)"/>')],
  ["a style attribute with an external url()", wrap('<rect width="9" height="9" style="fill:url(http://evil.example/#x)"/>')],
  [
    "a style attribute with image-set()",
    wrap('<rect width="9" height="9" style="mask: image-set(&quot;https://evil.example/m.png&quot; 1x)"/>'),
  ],
  ["a presentation attribute with an external url()", wrap('<rect width="9" height="9" fill="url(http://evil.example/#x)"/>')],
  ["a CSS expression()", wrap('<rect width="9" height="9" style="fill: expression(alert(1))"/>')],
  [
    "a <foreignObject> with HTML",
    wrap(
      '<foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example/"/></div></foreignObject>',
    ),
  ],
  ["an <iframe> in the SVG namespace", wrap('<iframe src="https://evil.example/"/>')],
  ["onload on the root", wrap("", ' onload="alert(1)"')],
  ...["onload", "ONLOAD", "OnLoad", "onLoad", "onclick", "onMouseOver", "onbegin", "onfocusin"].map((name): [string, string] => [
    `the handler ${name}`,
    wrap(`<rect width="9" height="9" ${name}="alert(1)"/>`),
  ]),
  ["a handler in a namespace", wrap('<rect width="9" height="9" ev:onclick="alert(1)" xmlns:ev="http://www.w3.org/2001/xml-events"/>')],
  ["an xml-stylesheet instruction", `<?xml-stylesheet type="text/xsl" href="https://evil.example/x.xsl"?>${wrap("")}`],
  ["an xml:base to another server", wrap('<g xml:base="https://evil.example/"><use href="#x"/></g>')],
];

/** [label, file, reason]: refused before anything is read. */
export const UNREADABLE_SVGS: [string, string, RegExp][] = [
  [
    "a billion laughs",
    `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>${wrap("<text>&i;</text>")}`,
    /entity declarations/,
  ],
  ["an external entity", `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${wrap("<text>&x;</text>")}`, /entity declarations/],
  ["an undefined entity", wrap("<text>&nbsp;</text>"), /undefined entity &nbsp;/],
  ["an undeclared prefix", wrap("<x:script>alert(1)</x:script>"), /prefix x: is not declared/],
  ["a tag left open", wrap("<g><path d='M0 0'/>"), /closes <g>/],
];

/** [label, file]: badges as tools export them; they must come through looking the same. All square, at least 90 px. */
export const BENIGN_SVGS: [string, string][] = [
  [
    "an Illustrator export (classes in <style>, gradient, xml:space)",
    `<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 27.5.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<svg version="1.1" id="Layer_1" ${SVG} ${XLINK} x="0px" y="0px"
	 viewBox="0 0 200 200" style="enable-background:new 0 0 200 200;" xml:space="preserve">
<style type="text/css">
	.st0{fill:url(#SVGID_1_);}
	.st1{fill:none;stroke:#FFFFFF;stroke-width:6;stroke-miterlimit:10;}
	.st2{fill:#FFFFFF;}
	.st3{font-family:'Helvetica', sans-serif; font-size:28px; font-weight:700;}
</style>
<linearGradient id="SVGID_1_" gradientUnits="userSpaceOnUse" x1="20" y1="20" x2="180" y2="180">
	<stop  offset="0" style="stop-color:#1F6F4A"/>
	<stop  offset="1" style="stop-color:#2B5FAD"/>
</linearGradient>
<circle class="st0" cx="100" cy="100" r="92"/>
<circle class="st1" cx="100" cy="100" r="76"/>
<path class="st2" d="M62.5,101.2l25.3,25.3l49.7-52.6l8.4,8.1l-58.1,61.3L54.4,109.6L62.5,101.2z"/>
<text transform="matrix(1 0 0 1 64 176)" class="st2 st3">LAUREL</text>
</svg>
`,
  ],
  [
    "an Inkscape export (metadata, namedview, defs/use with #refs, xlink gradients)",
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="256" height="256" viewBox="0 0 256 256" version="1.1" id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)" sodipodi:docname="badge.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   ${XLINK} ${SVG}
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" inkscape:zoom="2.5" inkscape:current-layer="layer1" />
  <defs id="defs2">
    <linearGradient inkscape:collect="always" id="linearGradient1">
      <stop style="stop-color:#f6c445;stop-opacity:1" offset="0" id="stop1" />
      <stop style="stop-color:#c9861b;stop-opacity:1" offset="1" id="stop2" />
    </linearGradient>
    <radialGradient inkscape:collect="always" xlink:href="#linearGradient1" id="radialGradient3" cx="128" cy="110" fx="128" fy="110" r="120" gradientUnits="userSpaceOnUse" />
    <path id="star" d="m 128,40 20.6,41.8 46.1,6.7 -33.4,32.5 7.9,45.9 L 128,145.2 86.8,166.9 94.7,121 61.3,88.5 107.4,81.8 Z" />
  </defs>
  <metadata id="metadata1"><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format></cc:Work></rdf:RDF></metadata>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <circle style="fill:url(#radialGradient3);stroke:#7a4f0e;stroke-width:8" id="path1" cx="128" cy="128" r="120" />
    <use xlink:href="#star" style="fill:#ffffff" id="use1" />
    <use href="#star" transform="translate(128 128) scale(0.4) translate(-128 -128)" fill="#7a4f0e" id="use2" />
    <text xml:space="preserve" style="font-size:24px;font-family:sans-serif;text-anchor:middle;fill:#3d2606" x="128" y="220" id="text1"><tspan sodipodi:role="line" id="tspan1" x="128" y="220">GOLD</tspan></text>
  </g>
</svg>
`,
  ],
  [
    "a hand-made badge (filter, clipPath, mask, pattern, marker, embedded PNG)",
    `<svg ${SVG} width="160" height="160" viewBox="0 0 160 160">
  <title>Team player</title>
  <desc>A blue shield with a check mark</desc>
  <defs>
    <filter id="shadow" x="-20%" y="-20%" width="140%" height="140%">
      <feGaussianBlur in="SourceAlpha" stdDeviation="3"/>
      <feOffset dx="2" dy="3" result="offsetblur"/>
      <feComponentTransfer><feFuncA type="linear" slope="0.4"/></feComponentTransfer>
      <feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge>
    </filter>
    <clipPath id="round"><circle cx="80" cy="80" r="70"/></clipPath>
    <mask id="fade"><rect width="160" height="160" fill="white"/><circle cx="80" cy="40" r="20" fill="black"/></mask>
    <pattern id="dots" width="10" height="10" patternUnits="userSpaceOnUse"><circle cx="5" cy="5" r="2" fill="#9cc3ff"/></pattern>
    <marker id="tip" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="4" markerHeight="4" orient="auto"><path d="M0 0L10 5L0 10z" fill="#fff"/></marker>
  </defs>
  <g filter="url(#shadow)">
    <path d="M80 10 L140 35 V85 C140 120 110 145 80 152 C50 145 20 120 20 85 V35 Z" fill="#2b5fad" stroke="#173a70" stroke-width="4"/>
    <rect x="20" y="10" width="120" height="142" fill="url(#dots)" clip-path="url(#round)" mask="url(#fade)" opacity="0.5"/>
    <polyline points="52,82 72,102 110,62" fill="none" stroke="#fff" stroke-width="10" stroke-linecap="round" stroke-linejoin="round" marker-end="url(#tip)"/>
  </g>
  <image x="70" y="128" width="20" height="20" href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGN4ZqMBRwzEcQAkchShWwdloQAAAABJRU5ErkJggg=="/>
</svg>`,
  ],
];
