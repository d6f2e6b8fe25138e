// The print-ready workshop summary: a "Print" button, shown only when this
// script runs (without JavaScript the browser's own print command remains).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
