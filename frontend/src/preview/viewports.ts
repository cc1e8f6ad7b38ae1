// Sizes and names the preview offers; the pages themselves come from the server.
import type { Platform } from "../api/types";

export type ViewportName = "phone" | "tablet" | "desktop";

export interface Viewport {
  name: ViewportName;
  label: string;
  width: number;
  height: number;
}

/** CSS pixel sizes: an iPhone 12–15, an iPad Air in portrait, a small desktop window. */
export const VIEWPORTS: readonly Viewport[] = [
  { name: "phone", label: "Phone (390×844)", width: 390, height: 844 },
  { name: "tablet", label: "Tablet (820×1180)", width: 820, height: 1180 },
  { name: "desktop", label: "Desktop (1024×768)", width: 1024, height: 768 },
];

export function viewportNamed(name: ViewportName): Viewport {
  return VIEWPORTS.find((v) => v.name === name) ?? VIEWPORTS[2]!;
}

/** Every platform, in the order the toggles and the grid show them. */
export const PLATFORMS: readonly { id: Platform; label: string }[] = [
  { id: "desktop-windows", label: "Anki Windows" },
  { id: "desktop-mac", label: "Anki macOS" },
  { id: "desktop-linux", label: "Anki Linux" },
  { id: "ankidroid", label: "AnkiDroid" },
  { id: "ankimobile-iphone", label: "AnkiMobile iPhone" },
  { id: "ankimobile-ipad", label: "AnkiMobile iPad" },
];

export function platformLabel(id: Platform): string {
  return PLATFORMS.find((p) => p.id === id)?.label ?? id;
}
