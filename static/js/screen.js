// The meeting on the big screen. Keys a presenter's clicker sends (arrows, PageUp/PageDown,
// space) move through the slides here, in this browser only; when the clerk puts an item on
// screen, the polled deck says so (data-current) and the screen jumps to it once, after which
// the presenter may move on again. The deck is replaced whenever something on it changed,
// so the slide shown is remembered by key, not by element.
(function () {
  "use strict";
  let shownKey = "title";
  let followed = null;
  const counter = document.querySelector("[data-screen-counter]");

  function slides() {
    return Array.from(document.querySelectorAll("#screen-deck [data-slide]"));
  }

  function show(key) {
    const all = slides();
    let index = all.findIndex((slide) => slide.dataset.slide === key);
    if (index < 0) index = 0;
    all.forEach((slide, i) => { slide.hidden = i !== index; });
    shownKey = all[index] ? all[index].dataset.slide : "title";
    if (counter) counter.textContent = (index + 1) + " / " + all.length;
  }

  function step(delta) {
    const all = slides();
    const index = all.findIndex((slide) => slide.dataset.slide === shownKey);
    const next = Math.min(Math.max(index + delta, 0), all.length - 1);
    show(all[next].dataset.slide);
  }

  function fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }

  function follow() {
    const deck = document.getElementById("screen-deck");
    if (!deck) return;
    const current = deck.dataset.current || null;
    // A project this viewer may not see has no slide: the screen stays where it is.
    const known = slides().some((slide) => slide.dataset.slide === current);
    if (current && current !== followed && known) shownKey = current;
    followed = current;
    show(shownKey);
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const forward = ["ArrowRight", "ArrowDown", "PageDown", " ", "Enter"];
    const back = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
    if (forward.includes(event.key)) step(1);
    else if (back.includes(event.key)) step(-1);
    else if (event.key === "Home") show("title");
    else if (event.key === "End") step(slides().length);
    else if (event.key === "f" || event.key === "F") fullscreen();
    else return;
    event.preventDefault();
  });
  document.addEventListener("click", (event) => {
    const control = event.target.closest("[data-screen]");
    if (!control) return;
    if (control.dataset.screen === "next") step(1);
    else if (control.dataset.screen === "previous") step(-1);
    else fullscreen();
  });
  // Only a deck may replace the deck: when the session has expired the poll is redirected
  // to the log-in page, which must not take over the room's screen.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const url = event.detail.xhr.responseURL || "";
    if (!url.includes("/screen/live/")) event.detail.shouldSwap = false;
  });
  document.body.addEventListener("htmx:afterSettle", follow);
  follow();
})();
