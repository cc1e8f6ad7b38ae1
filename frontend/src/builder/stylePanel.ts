// The style panel: typography, spacing, colours, borders and layout for the selected element,
// written as a `.atd-…` class rule into the note type's stylesheet (see css.ts). The
// component gets the class the first time it is styled.
import type { Component } from "grapesjs";
import { formatDeclarations, managedRuleBody, managedRules } from "./css";

const SECTORS: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]> = [
  [
    "Typography",
    [
      ["font-family", "Font"],
      ["font-size", "Size"],
      ["font-weight", "Weight"],
      ["font-style", "Style"],
      ["line-height", "Line height"],
      ["text-align", "Align"],
      ["color", "Colour"],
    ],
  ],
  [
    "Spacing",
    [
      ["margin", "Margin"],
      ["padding", "Padding"],
    ],
  ],
  [
    "Colours",
    [
      ["background-color", "Background"],
      ["opacity", "Opacity"],
    ],
  ],
  [
    "Borders",
    [
      ["border", "Border"],
      ["border-radius", "Radius"],
    ],
  ],
  [
    "Layout",
    [
      ["display", "Display"],
      ["width", "Width"],
      ["max-width", "Max width"],
      ["gap", "Gap"],
      ["flex", "Flex"],
    ],
  ],
];

/** Declarations body `a: b; c: d` → ordered map. Managed rules are the builder's own writing. */
export function parseDeclarations(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of body.split(";")) {
    const colon = part.indexOf(":");
    if (colon < 0) continue;
    const name = part.slice(0, colon).trim();
    if (name) out.set(name, part.slice(colon + 1).trim());
  }
  return out;
}

export interface StyleHost {
  css(): string;
  /** Write a managed class's rule (empty declarations remove it). */
  writeRule(cls: string, declarations: string): void;
  /** All classes in use on the canvas (to pick a free managed name). */
  usedClasses(): Set<string>;
}

export class StylePanel {
  readonly element: HTMLElement;
  private target: Component | null = null;
  private readonly inputs = new Map<string, HTMLInputElement>();
  private readonly heading: HTMLElement;

  constructor(private readonly host: StyleHost) {
    this.element = document.createElement("div");
    this.element.className = "atd-style-panel";
    this.element.dataset.testid = "builder-style";
    this.heading = document.createElement("p");
    this.heading.className = "atd-style-heading";
    this.element.append(this.heading);
    for (const [title, props] of SECTORS) {
      const group = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = title;
      group.append(legend);
      for (const [prop, label] of props) {
        const row = document.createElement("label");
        row.textContent = label;
        const input = document.createElement("input");
        input.type = "text";
        input.dataset.testid = "style-input";
        input.dataset.property = prop;
        input.addEventListener("change", () => this.write());
        row.append(input);
        group.append(row);
        this.inputs.set(prop, input);
      }
      this.element.append(group);
    }
    this.show(null);
  }

  /** Show the styles of `component` (or nothing when it cannot be styled). */
  show(component: Component | null): void {
    const stylable =
      component !== null && component.get("stylable") !== false && !!component.get("tagName");
    this.target = stylable ? component : null;
    const cls = this.target ? this.classOf(this.target) : null;
    const values = parseDeclarations(cls ? managedRuleBody(this.host.css(), cls) : "");
    for (const [prop, input] of this.inputs) {
      input.disabled = !this.target;
      input.value = values.get(prop) ?? "";
    }
    this.heading.textContent = !this.target
      ? "Select an element on the card to style it."
      : cls
        ? `Styles of .${cls} (in the note type's stylesheet)`
        : "Styles go into a new class in the note type's stylesheet.";
  }

  private classOf(component: Component): string | null {
    return (component.getClasses() as string[]).find((c) => /^atd-\d+$/.test(c)) ?? null;
  }

  private freeClass(): string {
    const used = new Set([...this.host.usedClasses(), ...managedRules(this.host.css()).keys()]);
    let n = 1;
    while (used.has(`atd-${n}`)) n++;
    return `atd-${n}`;
  }

  private write(): void {
    const target = this.target;
    if (!target) return;
    const style: Record<string, string> = {};
    for (const [prop, input] of this.inputs) style[prop] = input.value.trim();
    const body = formatDeclarations(style);
    let cls = this.classOf(target);
    if (!cls) {
      if (!body) return;
      cls = this.freeClass();
      target.addClass(cls);
    }
    this.host.writeRule(cls, body);
    this.show(target);
  }
}
