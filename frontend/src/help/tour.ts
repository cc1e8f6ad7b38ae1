// A short guided tour of the screens, shown once on a first visit and again from the help page.
// It is a small non-modal card (the page stays usable) that rings the element it talks about.
//
// It does not start on its own under automation (navigator.webdriver, as Playwright sets it)
// or with ?tour=0 in the address, so browser tests never meet it unexpectedly; ?tour=1 starts
// it even then.
import { h, replaceChildren } from "../app/dom";

export const TOUR_DONE_KEY = "atd:tour-done";

interface Step {
  title: string;
  text: string;
  /** The data-testid of the element the step is about (rung while shown), if on screen. */
  target?: string;
}

const STEPS: Step[] = [
  {
    title: "Welcome to Anki Template Designer",
    text: "Design Anki note types — card templates and styling — and see them as Anki shows them, on every platform, in light and night mode. A few quick steps.",
  },
  {
    title: "The library",
    text: "Every note type in your workspace. Search it, and click one to open it in the designer.",
    target: "library",
  },
  {
    title: "Start something new",
    text: "“+ New” creates a blank Basic or Cloze note type, or one from the gallery of well-made starters (vocabulary with audio, cloze, image labels…).",
    target: "new-notetype",
  },
  {
    title: "Bring your own",
    text: "Import an .apkg, a CrowdAnki export or a folder, or pull note types straight from a running Anki with AnkiConnect.",
    target: "import-anki",
  },
  {
    title: "The designer and the preview",
    text: "An open note type shows editors for the front, back and styling (Ctrl+1/2/3), panels for fields, card types, sample notes and history, and a live preview on the right. Lint problems are underlined as you type.",
  },
  {
    title: "Help is one key away",
    text: "Press ? for the keyboard shortcuts. The Help page explains the template syntax and every lint rule.",
    target: "help-link",
  },
];

/** Whether the tour should start by itself on this visit. */
export function tourWanted(location: Location, storage: Storage | null): boolean {
  const asked = new URLSearchParams(location.search).get("tour");
  if (asked === "1") return true;
  if (asked === "0" || navigator.webdriver) return false;
  try {
    return storage?.getItem(TOUR_DONE_KEY) !== "1";
  } catch {
    return false; // storage blocked: do not nag on every visit
  }
}

function remember(): void {
  try {
    localStorage.setItem(TOUR_DONE_KEY, "1");
  } catch {
    // Private mode or blocked storage: the tour simply shows again next time.
  }
}

let active: HTMLElement | null = null;

/** Start the tour at its first step (restarts it if it is showing). */
export function startTour(): void {
  active?.remove();
  let index = 0;
  let ringed: Element | null = null;
  const title = h("h2", { id: "tour-title" });
  const text = h("p", { class: "tour-text" });
  const counter = h("span", { class: "muted tour-counter" });
  const back = h("button", { type: "button", testid: "tour-back" }, "Back");
  const next = h("button", { type: "button", class: "primary", testid: "tour-next" }, "Next");
  const close = h(
    "button",
    { type: "button", class: "tour-close", testid: "tour-close", "aria-label": "Close the tour" },
    "Skip tour",
  );
  const card = h(
    "div",
    {
      class: "tour",
      testid: "tour",
      role: "dialog",
      "aria-labelledby": "tour-title",
      "aria-modal": "false",
    },
    title,
    text,
    h("div", { class: "tour-buttons" }, counter, close, back, next),
  );
  const finish = (): void => {
    ringed?.classList.remove("tour-ring");
    card.remove();
    document.removeEventListener("keydown", onKey, true);
    if (active === card) active = null;
    remember();
  };
  const show = (): void => {
    const step = STEPS[index];
    if (!step) return finish();
    ringed?.classList.remove("tour-ring");
    ringed = step.target ? document.querySelector(`[data-testid="${step.target}"]`) : null;
    ringed?.classList.add("tour-ring");
    replaceChildren(title, step.title);
    replaceChildren(text, step.text);
    replaceChildren(counter, `${index + 1} of ${STEPS.length}`);
    back.disabled = index === 0;
    replaceChildren(next, index === STEPS.length - 1 ? "Done" : "Next");
    next.focus();
  };
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === "Escape") finish();
  };
  next.addEventListener("click", () => {
    index += 1;
    show();
  });
  back.addEventListener("click", () => {
    index = Math.max(0, index - 1);
    show();
  });
  close.addEventListener("click", finish);
  document.addEventListener("keydown", onKey, true);
  active = card;
  document.body.append(card);
  show();
}

/** Start the tour if this is a first visit (see tourWanted). */
export function maybeStartTour(): void {
  let storage: Storage | null = null;
  try {
    storage = localStorage;
  } catch {
    storage = null;
  }
  if (tourWanted(location, storage)) startTour();
}
