// Progressive enhancement entry point. Loaded as an external module so the
// Content Security Policy needs no 'unsafe-inline'.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Re-initialise GOV.UK components inside content that htmx swaps in.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});
