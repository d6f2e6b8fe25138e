// Progressive enhancement entry point. Loaded as an external module so the
// Content Security Policy needs no 'unsafe-inline'.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

// The body's js-enabled and govuk-frontend-supported classes are set before
// the first paint by js/supported.js (see base.html).
initAll();

// Re-initialise GOV.UK components inside content that htmx swaps in.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});
