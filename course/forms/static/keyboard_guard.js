// Gives every control in the form around this (invisible) widget the attribute
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

function render({ el }) {
  el.hidden = true;
  // The view is rendered before it is attached to the page: wait until it is inside its form.
  let tries = 0;
  const attempt = () => {
    const form = el.closest(".bs-form");
    if (form) guardForm(form);
    else if (tries++ < 600) setTimeout(attempt, 50);
  };
  attempt();
}

export default { render };
