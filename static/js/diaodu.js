// Small behaviours used across pages, wired by data attributes so that no page needs an
// inline script or event handler (the Content-Security-Policy allows neither).
//   <select data-autosubmit>   submits its form when the choice changes
//   <form data-confirm="...">  asks before submitting
//   <button data-print>        prints the page
//   <a data-back>              goes back in the browser's history (its href when there is none)
//   <input/textarea maxlength data-counter>  shows "used / allowed" characters as one types
//   <select data-searchable>   becomes a searchable choice (Tom Select), for people and
//                              organisations; data-no-results is its "nothing found" text,
//                              data-remove the title of the button removing a choice
//   <div id="form-errors">     a sent form's mistakes: focused on arrival, its links focus the
//                              field even when a searchable choice stands in for it
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

document.addEventListener("click", (event) => {
  const link = event.target.closest("#form-errors a[href^='#']");
  const field = link && document.getElementById(link.hash.slice(1));
  if (field?.tomselect) {
    event.preventDefault();
    field.tomselect.wrapper.scrollIntoView({ block: "center" });
    field.tomselect.focus();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// A long text always shows its count; a one-line field (a title, a place) only once it
// nears its limit, so a form is not covered in "0 / 200".
function showCount(field) {
  const counter = field.nextElementSibling;
  const used = field.value.length;
  counter.textContent = `${used} / ${field.maxLength}`;
  counter.classList.toggle("text-danger", used >= field.maxLength * 0.9);
  counter.hidden = field.tagName !== "TEXTAREA" && used < field.maxLength * 0.8;
}

document.addEventListener("input", (event) => {
  if (event.target.matches("[data-counter]")) {
    showCount(event.target);
  }
});

function setUp(root) {
  root.querySelectorAll("[data-counter]").forEach((field) => {
    if (field.maxLength <= 0 || field.nextElementSibling?.classList.contains("counter")) {
      return;
    }
    const counter = document.createElement("div");
    counter.className = "form-text text-end counter";
    counter.id = `${field.id}-counter`;
    field.after(counter);
    field.setAttribute(
      "aria-describedby",
      `${field.getAttribute("aria-describedby") || ""} ${counter.id}`.trim(),
    );
    showCount(field);
  });
  if (window.TomSelect) {
    root.querySelectorAll("select[data-searchable]").forEach((select) => {
      if (select.tomselect) {
        return;
      }
      const noResults = select.dataset.noResults || "";
      const label = select.id && document.querySelector(`label[for="${select.id}"]`);
      new window.TomSelect(select, {
        plugins: select.multiple ? { remove_button: { title: select.dataset.remove || "" } } : {},
        maxOptions: null,
        allowEmptyOption: !select.multiple,
        render: {
          no_results: () => {
            const div = document.createElement("div");
            div.className = "no-results";
            div.textContent = noResults;
            return div;
          },
        },
      });
      // Tom Select points the label at its own control; the select it hides stays in the
      // accessibility tree (it carries the form's value) and must keep its name too.
      if (label) {
        label.id ||= `${select.id}-label`;
        select.setAttribute("aria-labelledby", label.id);
      }
    });
  }
}

document.getElementById("form-errors")?.focus();

if (window.htmx) {
  window.htmx.onLoad(setUp);
} else {
  setUp(document);
}
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
