// Small behaviours used across pages, wired by data attributes so that no page needs an
// inline script or event handler (the Content-Security-Policy allows neither).
//   <select data-autosubmit>   submits its form when the choice changes
//   <form data-confirm="...">  asks before submitting
//   <button data-print>        prints the page
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
