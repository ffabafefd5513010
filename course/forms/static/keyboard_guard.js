// Two jobs for the form around this (invisible) widget.
//
// 1. Gives every control in the form the attribute
// data-lm-suppress-shortcuts, Lumino's documented way to keep JupyterLab's and Notebook 7's
// shortcuts away from an element: ↓ then changes a dropdown, and letter keys type, instead of
// moving the cell selection or adding cells.
// Lumino checks the attribute while walking up from the focused element and stops at the first
// element a shortcut's selector matches; notebook shortcuts match any focused element
// (".jp-Notebook.jp-mod-commandMode :focus"), so the attribute must be on the controls themselves.
const ATTRIBUTE = "data-lm-suppress-shortcuts";
const CONTROLS = "input, select, textarea, button, summary, a[href], [tabindex], [contenteditable]";

function markControls(root) {
  if (root.matches?.(CONTROLS)) root.setAttribute(ATTRIBUTE, "true");
  for (const control of root.querySelectorAll?.(CONTROLS) ?? []) control.setAttribute(ATTRIBUTE, "true");
}

// Areas whose new content screen readers announce (feedback after a check).
function markLiveRegions(root) {
  const areas = [...(root.matches?.(".bs-live") ? [root] : []), ...(root.querySelectorAll?.(".bs-live") ?? [])];
  for (const area of areas) area.setAttribute("aria-live", "polite");
}

// A <details> summary tells assistive technology whether its section is open.
function syncExpanded(details) {
  details.querySelector(":scope > summary")?.setAttribute("aria-expanded", String(details.open));
}

// 2. A button acts on everything typed before it was pressed. ipywidgets sends a text field's
// keystrokes one message at a time and holds the rest back while the kernel is busy with the last one,
// but a button's click is a custom message sent at once, so it can overtake the held-back text. This
// listener runs first (capture phase on an ancestor, before the button's own handler; Enter or Space on
// a button also fires click) and sends the text every field shows; custom messages go out in order on
// one connection, so the kernel has the text before it handles the click. Fields carry the class
// "bs-typed" and "bs-typed-<model id>" (course/forms/common.py).
const TYPED = "bs-typed";

function typedText(form) {
  const typed = {};
  for (const field of form.querySelectorAll(`.${TYPED}`)) {
    const mark = [...field.classList].find((name) => name.startsWith(`${TYPED}-`));
    const control = field.querySelector("textarea, input");
    if (mark && control) typed[mark.slice(TYPED.length + 1)] = control.value;
  }
  return typed;
}

// Returns a function that stops listening (when this view is removed).
function handOverText(form, model) {
  const beforePress = (event) => {
    if (!event.target.closest?.("button")) return;
    const typed = typedText(form);
    if (Object.keys(typed).length) model.send({ typed });
  };
  form.addEventListener("click", beforePress, true);
  return () => form.removeEventListener("click", beforePress, true);
}

function guardForm(form) {
  form.setAttribute(ATTRIBUTE, "true");
  markControls(form);
  markLiveRegions(form);
  form.querySelectorAll("details").forEach(syncExpanded);
  form.addEventListener("toggle", (event) => syncExpanded(event.target), true);
  // Controls added later (another obstacle row, feedback with details) are marked as they appear.
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        markControls(node);
        markLiveRegions(node);
        node.querySelectorAll?.("details").forEach(syncExpanded);
      }
    }
  }).observe(form, { childList: true, subtree: true });
}

function render({ model, el }) {
  el.hidden = true;
  // The view is rendered before it is attached to the page: wait until it is inside its form.
  let tries = 0;
  let timer = null;
  let stopHandingOver = () => {};
  const attempt = () => {
    const form = el.closest(".bs-form");
    if (form) {
      guardForm(form);
      stopHandingOver = handOverText(form, model);
    } else if (tries++ < 600) timer = setTimeout(attempt, 50);
  };
  attempt();
  return () => {
    clearTimeout(timer);
    stopHandingOver();
  };
}

export default { render };
