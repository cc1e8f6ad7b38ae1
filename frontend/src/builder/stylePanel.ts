// The style panel: typography, spacing, colours, borders and layout for the selected element,
// written as a `.atd-…` class rule into the note type's stylesheet (see css.ts). The
// component gets the class the first time it is styled.
import type { Component } from "grapesjs";
import { formatDeclarations, managedRuleBody, managedRules } from "./css";
import { parseDeclarations, valueProblem } from "./styleValues";

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
  private readonly error: HTMLElement;

  constructor(private readonly host: StyleHost) {
    this.element = document.createElement("div");
    this.element.className = "atd-style-panel";
    this.element.dataset.testid = "builder-style";
    this.heading = document.createElement("p");
    this.heading.className = "atd-style-heading";
    this.error = document.createElement("p");
    this.error.className = "atd-style-error";
    this.error.dataset.testid = "style-error";
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;
    this.element.append(this.heading, this.error);
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
        input.addEventListener("change", () => this.write(input));
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
      input.removeAttribute("aria-invalid");
    }
    this.error.hidden = true;
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

  private write(changed: HTMLInputElement): void {
    const target = this.target;
    if (!target) return;
    const problem = valueProblem(changed.value);
    if (problem) {
      changed.setAttribute("aria-invalid", "true");
      this.error.textContent = `${changed.dataset.property}: ${problem} Not saved.`;
      this.error.hidden = false;
      return;
    }
    changed.removeAttribute("aria-invalid");
    this.error.hidden = true;
    let cls = this.classOf(target);
    // Start from the rule as it is: declarations typed in code view stay.
    const style = Object.fromEntries(
      parseDeclarations(cls ? managedRuleBody(this.host.css(), cls) : ""),
    );
    style[changed.dataset.property ?? ""] = changed.value.trim();
    const body = formatDeclarations(style);
    if (!cls) {
      if (!body) return;
      cls = this.freeClass();
      target.addClass(cls);
    }
    this.host.writeRule(cls, body);
    this.show(target);
  }
}
