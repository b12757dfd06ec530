// Print buttons: [data-print] is hidden in the markup and shown only where this script runs
// (the CSP allows no inline script); without JavaScript the page says to use the browser's print.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
