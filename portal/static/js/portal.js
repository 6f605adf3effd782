// Progressive enhancements; the portal works without them. No inline script: the CSP forbids it.
"use strict";

// The menu button (narrow screens): a disclosure button that shows or hides the account
// controls and the main menu. Without this script they are simply always shown.
function setUpMenuButton() {
  const button = document.querySelector(".portal-menu-button");
  if (!button) return;
  const header = button.closest(".portal-header");
  header.classList.add("portal-header--foldable");
  button.hidden = false;
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("portal-header--open", open);
  };
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  // Escape closes an open menu and puts the focus back on its button.
  header.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    show(false);
    button.focus();
  });
}

// "Select all" in the review queue: ticks or clears every line box of the page (the boxes
// that belong to the form named in data-select-all); its state follows the boxes, mixed when
// some are ticked. Without this script it stays hidden and the boxes are ticked one by one.
const SELECT_ALL = "input[data-select-all]";

function boxesOf(all) {
  return [...document.querySelectorAll(`input[type="checkbox"][form="${all.dataset.selectAll}"]`)];
}

function follow(all) {
  const boxes = boxesOf(all);
  const ticked = boxes.filter((box) => box.checked).length;
  all.checked = ticked > 0 && ticked === boxes.length;
  all.indeterminate = ticked > 0 && ticked < boxes.length;
  all.disabled = boxes.length === 0;
}

function showSelectAll() {
  document.querySelectorAll(SELECT_ALL).forEach((all) => {
    all.closest("[hidden]")?.removeAttribute("hidden");
    follow(all);
  });
}

document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.matches(SELECT_ALL)) {
    boxesOf(box).forEach((each) => { each.checked = box.checked; });
  }
  document.querySelectorAll(SELECT_ALL).forEach(follow);
});

// A table that is wider than the screen scrolls in its box: keyboard users reach it with Tab
// (then the arrow keys scroll); a box around a table is announced as a region named after it.
function makeScrollingTablesFocusable() {
  document.querySelectorAll(".portal-table-wrap, .portal-doc table").forEach((wrap) => {
    const scrolls = wrap.scrollWidth > wrap.clientWidth;
    const caption = wrap.querySelector("caption");
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.tabIndex = 0;
      if (wrap.tagName !== "TABLE" && caption?.textContent.trim()) {  // a table keeps its role
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption.textContent.trim());
      }
    } else if (!scrolls && wrap.tabIndex === 0) {
      ["tabindex", "role", "aria-label"].forEach((name) => wrap.removeAttribute(name));
    }
  });
}

// On a narrow screen a filter panel (details[data-fold-narrow], open without this script)
// folds away when the page loads, so the list starts in view; its summary opens it again.
function foldFiltersOnNarrowScreens() {
  if (!window.matchMedia("(max-width: 40rem)").matches) return;
  document.querySelectorAll("details[data-fold-narrow]").forEach((details) => {
    details.open = false;
  });
}

function enhance() {
  showSelectAll();
  makeScrollingTablesFocusable();
}

document.addEventListener("DOMContentLoaded", () => {
  setUpMenuButton();
  foldFiltersOnNarrowScreens();
  enhance();
});
// htmx replaces lists, the queue or one of its rows in place.
document.addEventListener("htmx:afterSettle", enhance);
window.addEventListener("resize", makeScrollingTablesFocusable);
