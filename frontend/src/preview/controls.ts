// The preview's controls: card picker, "All cards", platform toggles, night mode, viewport,
// type-in box. While "All cards" is on, the picker is disabled and the type-in box hidden: a
// typed answer is compared on one card.
import type { CardChoice } from "../api/preview";
import type { Platform } from "../api/types";
import { PLATFORMS, VIEWPORTS, type ViewportName } from "./viewports";

export interface PreviewOptions {
  cardOrd: number;
  /** Every card the sample generates at once instead of the picker's card. */
  allCards: boolean;
  platforms: Platform[];
  night: boolean;
  viewport: ViewportName;
}

export interface ControlEvents {
  /** A control changed some of the options (card, platforms, night, viewport). */
  changed(change: Partial<PreviewOptions>): void;
  /** The type-in box changed. */
  typed(value: string): void;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  testid: string | null,
  className: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (testid) node.dataset.testid = testid;
  if (className) node.className = className;
  return node;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = element("label", null, "preview-control");
  const span = element("span", null, "preview-control-label");
  span.textContent = text;
  label.append(span, control);
  return label;
}

export class Controls {
  readonly element: HTMLElement;
  readonly typeIn: HTMLElement;
  private readonly cardSelect = element("select", "preview-card-select", "");
  private readonly toggles: HTMLInputElement[] = [];
  private readonly allCardsToggle = element("input", "all-cards-toggle", "");
  private readonly nightToggle = element("input", "night-toggle", "");
  private readonly viewportSelect = element("select", "viewport-select", "");
  private readonly typeInInput = element("input", "typein-input", "preview-typein-input");
  private cards: CardChoice[] = [];
  private allCards: boolean;
  private typeInWanted = false;

  constructor(
    options: PreviewOptions,
    private readonly events: ControlEvents,
  ) {
    this.element = element("div", null, "preview-controls");
    this.allCards = options.allCards;
    this.cardSelect.setAttribute("aria-label", "Card");
    this.cardSelect.addEventListener("change", () => {
      this.update({ cardOrd: Number(this.cardSelect.value) });
    });

    const platforms = element("fieldset", "preview-platforms", "preview-platforms");
    const legend = element("legend", null, "preview-control-label");
    legend.textContent = "Platforms";
    platforms.append(legend);
    for (const { id, label } of PLATFORMS) {
      const toggle = element("input", "platform-toggle", "");
      toggle.type = "checkbox";
      toggle.value = id;
      toggle.checked = options.platforms.includes(id);
      toggle.addEventListener("change", () => this.platformsChanged());
      this.toggles.push(toggle);
      const text = document.createElement("span");
      text.textContent = label;
      const item = element("label", null, "preview-platform");
      item.append(toggle, text);
      platforms.append(item);
    }

    this.nightToggle.type = "checkbox";
    this.nightToggle.checked = options.night;
    this.nightToggle.addEventListener("change", () => {
      this.update({ night: this.nightToggle.checked });
    });

    for (const viewport of VIEWPORTS) {
      const option = new Option(viewport.label, viewport.name);
      this.viewportSelect.append(option);
    }
    this.viewportSelect.value = options.viewport;
    this.viewportSelect.addEventListener("change", () => {
      this.update({ viewport: this.viewportSelect.value as ViewportName });
    });

    this.allCardsToggle.type = "checkbox";
    this.allCardsToggle.checked = options.allCards;
    this.allCardsToggle.addEventListener("change", () => {
      this.setAllCards(this.allCardsToggle.checked);
      this.update({ allCards: this.allCardsToggle.checked });
    });
    const allCards = element("label", null, "preview-control preview-all-cards");
    const allCardsText = element("span", null, "preview-control-label");
    allCardsText.textContent = "All cards";
    allCards.title = "Every card the sample note generates (up to 24), each on every platform";
    allCards.append(this.allCardsToggle, allCardsText);

    const night = element("label", null, "preview-control preview-night");
    const nightText = element("span", null, "preview-control-label");
    nightText.textContent = "Night mode";
    night.append(this.nightToggle, nightText);

    this.element.append(
      labelled("Card", this.cardSelect),
      allCards,
      labelled("Viewport", this.viewportSelect),
      night,
      platforms,
    );

    this.typeInInput.type = "text";
    this.typeInInput.placeholder = "Type the answer as on the card's question side";
    this.typeInInput.autocomplete = "off";
    this.typeInInput.spellcheck = false;
    this.typeInInput.addEventListener("input", () => this.events.typed(this.typeInInput.value));
    this.typeIn = labelled("Type-in answer", this.typeInInput);
    this.typeIn.classList.add("preview-typein");
    this.typeIn.hidden = true;
    this.setCards([], options.cardOrd, []);
    this.setAllCards(options.allCards);
  }

  /** Fill the card picker with the cards the sample generates (plus the shown one). */
  setCards(cards: CardChoice[], shown: number, cardTypeNames: string[]): void {
    const same =
      cards.length === this.cards.length &&
      cards.every((c, i) => c.ord === this.cards[i]?.ord && c.name === this.cards[i]?.name) &&
      Number(this.cardSelect.value) === shown &&
      this.cardSelect.options.length > 0;
    if (same) return;
    this.cards = cards;
    const options = cards.map((c) => new Option(c.name, String(c.ord)));
    if (!cards.some((c) => c.ord === shown)) {
      // The sample does not generate the card on show: Anki would not create it.
      const name = cardTypeNames[shown] ?? `Cloze ${shown + 1}`;
      options.push(new Option(`${name} (empty for this sample)`, String(shown)));
    }
    this.cardSelect.replaceChildren(...options);
    this.cardSelect.value = String(shown);
  }

  /** Show the type-in box when the card asks for a typed answer. */
  setTypeIn(shown: boolean, field: string | null): void {
    this.typeInWanted = shown;
    this.typeIn.hidden = !shown || this.allCards;
    if (field) this.typeInInput.title = `Compared with the field ${field}`;
  }

  /** Put text into the type-in box (typed in the card's own box). */
  setTyped(value: string): void {
    if (this.typeInInput.value !== value) this.typeInInput.value = value;
  }

  /** "All cards" on: no single card to pick, no answer to type. */
  private setAllCards(on: boolean): void {
    this.allCards = on;
    this.cardSelect.disabled = on;
    this.typeIn.hidden = on || !this.typeInWanted;
  }

  private platformsChanged(): void {
    const platforms = this.toggles.filter((t) => t.checked).map((t) => t.value as Platform);
    this.update({ platforms });
  }

  private update(change: Partial<PreviewOptions>): void {
    this.events.changed(change);
  }
}
