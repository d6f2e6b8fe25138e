// Builds third-party front-end assets from node_modules into build/vendor/
// (ignored by git). This is not a GOV.UK service, so the GDS Transport font
// and the crown are stripped from GOV.UK Frontend's precompiled stylesheet.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "vendor");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
mkdirSync(join(out, "govuk"), { recursive: true });
mkdirSync(join(out, "htmx"), { recursive: true });

let css = readFileSync(join(govuk, "govuk-frontend.min.css"), "utf8");
css = css
  .replace(/@font-face\{font-family:GDS Transport;[^}]*\}/g, "")
  .replaceAll("GDS Transport,arial,sans-serif", "arial,sans-serif")
  .replace(/url\(\/assets\/images\/govuk-crest\.svg\)/g, "none");
if (css.includes("GDS Transport")) {
  console.warn("warning: GDS Transport still referenced in the stylesheet");
}
writeFileSync(join(out, "govuk", "govuk-frontend.min.css"), css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
// The bundles name their source maps; hashed production static files need them present.
for (const name of ["govuk-frontend.min.css.map", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(govuk, name), join(out, "govuk", name));
}
copyFileSync(
  join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"),
  join(out, "htmx", "htmx.min.js"),
);
console.log(`built front-end assets into ${out}`);
