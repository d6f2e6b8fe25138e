// Loaded as the first thing in <body>, as a blocking external script (our
// Content Security Policy allows no inline script), so these classes are on
// <body> before the first paint. Set later by the app.mjs module, they moved
// the page after it was drawn (e.g. the service navigation collapsing behind
// its Menu button on a phone): a layout shift of 0.11.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
