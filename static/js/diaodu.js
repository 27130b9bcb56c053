// Small behaviours used across pages, wired by data attributes so that no page needs an
// inline script or event handler (the Content-Security-Policy allows neither).
//   <select data-autosubmit>   submits its form when the choice changes
//   <form data-confirm="...">  asks before submitting
//   <button data-print>        prints the page
// and a table too wide for the screen can be scrolled from the keyboard.
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A table wider than the screen scrolls inside its .table-responsive box; keyboard users
// can scroll it only if the box can take focus, which a box that does not scroll should not.
function focusableScrollers() {
  for (const box of document.querySelectorAll(".table-responsive")) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
    } else {
      box.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSettle", focusableScrollers);
