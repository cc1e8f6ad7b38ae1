"""Default styles each platform's reviewer gives a card, kept as data for the page shells.

Values were read from the sources named above each block and re-expressed here (formatting
and rule order are ours; selectors and values are theirs). Rules with no effect on a card
page (toolbar, dialogs, the ``system-font-size`` preferences page) are left out.

Sources:
- Anki desktop 26.9.3: the compiled stylesheets of the ``aqt`` 26.9.3 wheel
  (``_aqt/data/web/css/webview.css`` from ``qt/aqt/data/web/css/webview.scss`` +
  ``ts/lib/sass/_root-vars.scss`` + ``_vars.scss``; ``reviewer.css`` from
  ``ts/reviewer/reviewer.scss``) and ``AnkiWebView.standard_css`` in ``qt/aqt/webview.py``.
- AnkiDroid 2.25 (main branch, commit a644cf79, 2026-08-22): ``AnkiDroid/src/main/assets/
  flashcard.css``, ``mathjax/mathjax.css`` and the backend's ``reviewer_extras.css``.
- AnkiMobile is closed source: see ``ANKIMOBILE_CSS`` for what is documented and what is not.
"""

from __future__ import annotations

from typing import Final

# Anki's colour variables as (name, light, dark): light on ``:root``, dark on
# ``:root.night-mode``. Source: aqt 26.9.3 webview.css (generated from ts/lib/sass/_vars.scss).
COLOR_VARIABLES: Final[tuple[tuple[str, str, str], ...]] = (
    ("--fg", "#020202", "#fcfcfc"),
    ("--fg-subtle", "#737373", "#858585"),
    ("--fg-disabled", "#858585", "#737373"),
    ("--fg-faint", "#afafaf", "#545454"),
    ("--fg-link", "#1d4ed8", "#bfdbfe"),
    ("--canvas", "#f5f5f5", "#2c2c2c"),
    ("--canvas-elevated", "white", "#363636"),
    ("--canvas-inset", "white", "#2c2c2c"),
    ("--canvas-overlay", "#fcfcfc", "#2c2c2c"),
    ("--canvas-code", "white", "#252525"),
    ("--canvas-glass", "rgba(255, 255, 255, 0.4)", "rgba(54, 54, 54, 0.4)"),
    ("--border", "#c4c4c4", "#202020"),
    ("--border-subtle", "#e4e4e4", "#252525"),
    ("--border-strong", "#858585", "#020202"),
    ("--border-focus", "#3b82f6", "#3b82f6"),
    ("--button-bg", "#fcfcfc", "rgb(25.1176470588%, 25.1176470588%, 25.1176470588%)"),
    ("--button-gradient-start", "white", "rgb(29.0588235294%, 29.0588235294%, 29.0588235294%)"),
    ("--button-gradient-end", "#fcfcfc", "rgb(25.1176470588%, 25.1176470588%, 25.1176470588%)"),
    ("--button-hover-border", "#999999", "#141414"),
    ("--button-disabled", "rgba(214, 214, 214, 0.5)", "rgba(69, 69, 69, 0.5)"),
    (
        "--button-primary-bg",
        "rgb(18.7843137255%, 41.8823529412%, 92.5490196078%)",
        "rgb(15.0392156863%, 32.3333333333%, 81.0392156863%)",
    ),
    (
        "--button-primary-gradient-start",
        "#3b82f6",
        "rgb(18.3921568627%, 40.2745098039%, 88.2745098039%)",
    ),
    (
        "--button-primary-gradient-end",
        "rgb(18.7843137255%, 41.8823529412%, 92.5490196078%)",
        "rgb(15.0392156863%, 32.3333333333%, 81.0392156863%)",
    ),
    ("--button-primary-disabled", "#93c5fd", "rgb(26.8039215686%, 51.862745098%, 92.8039215686%)"),
    ("--scrollbar-bg", "#d6d6d6", "#454545"),
    ("--scrollbar-bg-hover", "#c4c4c4", "#545454"),
    ("--scrollbar-bg-active", "#afafaf", "#636363"),
    ("--shadow", "#c4c4c4", "#141414"),
    ("--shadow-inset", "#454545", "#202020"),
    ("--shadow-subtle", "#737373", "#363636"),
    ("--shadow-focus", "#6366f1", "#6366f1"),
    ("--accent-card", "#60a5fa", "#93c5fd"),
    ("--accent-note", "#22c55e", "#4ade80"),
    ("--accent-danger", "#ef4444", "#f87171"),
    ("--flag-1", "#ef4444", "#f87171"),
    ("--flag-2", "#fb923c", "#fdba74"),
    ("--flag-3", "#4ade80", "#86efac"),
    ("--flag-4", "#3b82f6", "#60a5fa"),
    ("--flag-5", "#e879f9", "#f0abfc"),
    ("--flag-6", "#2dd4bf", "#5eead4"),
    ("--flag-7", "#a855f7", "#c084fc"),
    ("--state-new", "#3b82f6", "#93c5fd"),
    ("--state-learn", "#dc2626", "#f87171"),
    ("--state-review", "#16a34a", "#22c55e"),
    ("--state-buried", "#f59e0b", "#92400e"),
    ("--state-suspended", "#facc15", "#fef9c3"),
    ("--state-marked", "#6366f1", "#a855f7"),
    ("--highlight-bg", "rgba(37, 99, 235, 0.5)", "rgba(147, 197, 253, 0.5)"),
    ("--highlight-fg", "black", "white"),
    ("--selected-bg", "rgba(214, 214, 214, 0.5)", "rgba(147, 197, 253, 0.5)"),
    ("--selected-fg", "black", "white"),
)

# Anki's non-colour variables; the same in both modes. Source: aqt 26.9.3 webview.css.
PROP_VARIABLES: Final[tuple[tuple[str, str], ...]] = (
    ("--font-size", "15px"),
    ("--border-radius", "5px"),
    ("--border-radius-medium", "12px"),
    ("--border-radius-large", "15px"),
    ("--transition", "180ms"),
    ("--transition-medium", "500ms"),
    ("--transition-slow", "1000ms"),
    ("--blur", "20px"),
)

# Source: aqt 26.9.3 webview.css (root-vars, scrollbar and buttons partials, webview.scss).
_SCROLLBARS = """
body:not(.isMac)::-webkit-scrollbar, body:not(.isMac) *::-webkit-scrollbar {
  background-color: var(--canvas); }
body:not(.isMac)::-webkit-scrollbar:horizontal,
body:not(.isMac) *::-webkit-scrollbar:horizontal { height: 12px; }
body:not(.isMac)::-webkit-scrollbar:vertical,
body:not(.isMac) *::-webkit-scrollbar:vertical { width: 12px; }
body:not(.isMac)::-webkit-scrollbar-thumb, body:not(.isMac) *::-webkit-scrollbar-thumb {
  background: var(--scrollbar-bg); border-radius: var(--border-radius); }
body:not(.isMac)::-webkit-scrollbar-thumb:horizontal,
body:not(.isMac) *::-webkit-scrollbar-thumb:horizontal { min-width: 50px; }
body:not(.isMac)::-webkit-scrollbar-thumb:vertical,
body:not(.isMac) *::-webkit-scrollbar-thumb:vertical { min-height: 50px; }
body:not(.isMac)::-webkit-scrollbar-thumb:hover,
body:not(.isMac) *::-webkit-scrollbar-thumb:hover { background: var(--scrollbar-bg-hover); }
body:not(.isMac)::-webkit-scrollbar-thumb:active,
body:not(.isMac) *::-webkit-scrollbar-thumb:active { background: var(--scrollbar-bg-active); }
body:not(.isMac)::-webkit-scrollbar-corner, body:not(.isMac) *::-webkit-scrollbar-corner {
  background-color: var(--canvas); }
body:not(.isMac)::-webkit-scrollbar-track, body:not(.isMac) *::-webkit-scrollbar-track {
  border-radius: 5px; background-color: rgba(0, 0, 0, 0); }
"""

DESKTOP_WEBVIEW_CSS: Final[str] = (
    """
html { font-size: var(--font-size); }
html body { overscroll-behavior: none; }
:root { --focus-color: #6366f1; }
:root .isMac { --focus-color: rgba(0 103 244 / 0.247); }
.isWin button { font-size: 12px; }
.isMac button { font-size: 13px; }
button {
  outline: none !important; border-radius: var(--border-radius); font-weight: 500;
  padding: 8px 10px; margin: 0 4px; -webkit-appearance: none; cursor: pointer;
  border: 1px solid var(--border-subtle); border-bottom-color: var(--shadow);
  background: var(--button-bg); color: var(--fg); }
button:hover {
  background: linear-gradient(180deg, var(--button-gradient-start) 0%,
    var(--button-gradient-end) 100%);
  border: 1px solid var(--shadow); }
button:active {
  box-shadow: inset 0 calc(var(--buttons-size, 10px) / 15)
    calc(var(--buttons-size, 10px) / 5) rgba(0, 0, 0, .35);
  border-color: var(--border-subtle); }
button[disabled], button[disabled]:hover {
  cursor: not-allowed; color: var(--fg-disabled); box-shadow: none !important;
  background: var(--button-gradient-end); border-bottom-color: var(--border-subtle); }
.fancy button {
  border-radius: var(--border-radius-large);
  box-shadow: 0px 2px 1px -1px rgba(20, 20, 20, .12), 0px 1px 1px 0px rgba(20, 20, 20, .06),
    0px 1px 3px 0px rgba(20, 20, 20, .04); }
.fancy button:hover {
  box-shadow: 0px 3px 1px -2px rgba(20, 20, 20, .2), 0px 2px 2px 0px rgba(20, 20, 20, .14),
    0px 1px 5px 0px rgba(20, 20, 20, .12);
  transition: box-shadow var(--transition) linear; }
* { box-sizing: content-box; }
body { color: var(--fg); background: var(--canvas); margin: 2em; overscroll-behavior: none; }
body.fancy { transition: opacity var(--transition-medium) ease-out; }
body.no-blur * { backdrop-filter: none !important; }
a { color: var(--fg-link); text-decoration: none; }
h1 { margin-bottom: .2em; }
"""
    + _SCROLLBARS
)

# AnkiWebView.standard_css (qt/aqt/webview.py), per OS, with the values a default install
# gets: Qt 6 zoom factor 1, English "Segoe UI" on Windows, Helvetica on macOS. On Linux the
# family is Qt's application font, which depends on the desktop: "sans-serif" stands in.
_STANDARD_COMMON = """
body { zoom: 1; background-color: var(--canvas); }
:root { --canvas: #f5f5f5; }
:root[class*=night-mode] { --canvas: #2c2c2c; }
"""
DESKTOP_STANDARD_CSS_WINDOWS: Final[str] = (
    _STANDARD_COMMON
    + """
html { font-family: Segoe UI; }
button { font-family: Segoe UI; }
"""
)
DESKTOP_STANDARD_CSS_MAC: Final[str] = (
    _STANDARD_COMMON
    + """
html { font-family: "Helvetica"; }
button {
  --canvas: #fff; -webkit-appearance: none; background: var(--canvas);
  border-radius: var(--border-radius); padding: 3px 12px; border: 1px solid var(--border);
  box-shadow: 0px 1px 3px var(--border-subtle); font-family: Helvetica; }
.night-mode button { --canvas: #606060; --fg: #eee; }
"""
)
DESKTOP_STANDARD_CSS_LINUX: Final[str] = (
    _STANDARD_COMMON
    + """
html { font-family: sans-serif; }
button { font-family: sans-serif; }
textarea:focus, input:focus, input[type]:focus, .uneditable-input:focus,
div[contenteditable="true"]:focus { outline: 0 none; border-color: #3b82f6; }
"""
)

# The image occlusion rules Anki's reviewer bundle carries (ts/routes/image-occlusion/
# review.scss); AnkiDroid loads them as reviewer_extras.css.
IMAGE_OCCLUSION_CSS: Final[str] = """
#image-occlusion-container { position: relative; margin: 0 auto;
  max-height: calc(95vh - 40px); }
#image-occlusion-container img { position: absolute; top: 0; left: 0; width: 100%;
  height: 100%; max-width: unset; max-height: unset; }
#image-occlusion-canvas { position: absolute; top: 0; left: 0; width: 100%; height: 100%; }
"""

# Source: aqt 26.9.3 reviewer.css (ts/reviewer/reviewer.scss), after the image occlusion part.
DESKTOP_REVIEWER_CSS: Final[str] = """
hr { background-color: #737373; margin: 1em 0; border: none; height: 1px; }
body { margin: 20px; overflow-wrap: break-word; background-size: cover;
  background-repeat: no-repeat; background-position: top; background-attachment: fixed; }
body.nightMode { background-color: var(--canvas); color: var(--fg); }
img { max-width: 100%; max-height: 95vh; }
li { text-align: start; }
pre { text-align: left; }
#_flag { position: fixed; top: 0; font-size: 30px; -webkit-text-stroke-width: 1px;
  -webkit-text-stroke-color: #000; }
[dir=ltr] #_flag { right: 10px; }
[dir=rtl] #_flag { left: 10px; }
#_mark { position: fixed; top: 0; font-size: 30px; color: #ff0;
  -webkit-text-stroke-width: 1px; -webkit-text-stroke-color: #000; }
[dir=ltr] #_mark { left: 10px; }
[dir=rtl] #_mark { right: 10px; }
#typeans { width: 100%; box-sizing: border-box; line-height: 1.75; }
code#typeans { white-space: pre-wrap; font-variant-ligatures: none; }
.typeGood { background: #afa; color: #000; }
.typeBad { color: #000; background: #faa; }
.typeMissed { color: #000; background: #ccc; }
button { margin: 1em .5em; }
.replay-button { text-decoration: none; display: inline-flex; vertical-align: middle;
  margin: 3px; }
.replay-button svg { width: 40px; height: 40px; }
.replay-button svg circle { fill: #fff; stroke: #414141; }
.replay-button svg path { fill: #414141; }
.nightMode .latex { filter: invert(100%); }
.drawing { zoom: 50%; }
.nightMode img.drawing { filter: invert(1) hue-rotate(180deg); }
"""

# Source: AnkiDroid assets/flashcard.css and mathjax/mathjax.css (commit a644cf79). The
# @font-face for the bundled "Noto Sans Mono" is left out: its file:///android_asset URL
# cannot load outside the app, so #typeans falls back to the browser's font.
ANKIDROID_FLASHCARD_CSS: Final[str] = """
body { margin: 0px; padding: 0px; overflow-wrap: break-word; background-size: cover;
  background-repeat: no-repeat; background-position: top; background-attachment: fixed; }
li { text-align: start; }
pre { text-align: left; }
.nightMode .latex { filter: invert(100%); }
video { max-width: 100%; }
body.night_mode { color: white; background-color: black; }
body.ankidroid_dark_mode { background-color: #303030; }
#content { margin: 0.5em; }
.typeGood { background-color: #0f0; }
.typeBad { background-color: #f00; }
.typeMissed { background-color: #ccc; }
#typeans { width: 100%; box-sizing: border-box; font-family: "Noto Sans Mono"; }
code#typeans { white-space: pre-wrap; font-variant-ligatures: none; }
.typePrompt { color: magenta; }
.typePrompt.typeOff { display: none; }
.night_mode input#typeans { color: white; background-color: black; }
.night_mode .typeGood { background-color: #508040; }
.night_mode .typeBad { background-color: #905050; }
.ankidroid_dark_mode input#typeans { background-color: #303030; }
.replay-button { text-decoration: none; }
.chrome img { max-width: 100%; max-height: 90%; }
.vertically_centered { position: absolute; width: 100%; min-height: 100%;
  display: -webkit-box; -webkit-box-align: stretch; -webkit-box-pack: center;
  -webkit-box-orient: vertical; }
.replay-button span { display: inline-block; vertical-align: middle; padding: 5px; }
.replay-button span svg { stroke: none; fill: black; display: inline; height: 1em;
  width: 1em; min-width: 32px; min-height: 32px; }
.replay-button span img { display: inline; height: 1em; width: 1em; min-width: 32px;
  min-height: 32px; }
.night_mode .replay-button svg { fill: white; }
.mathjax-needs-to-render { visibility: hidden; }
"""

# AnkiMobile is closed source. Documented (AnkiMobile manual, "Night Mode Styling"): night
# mode puts ``nightMode`` on the ``.card`` element and shows a black background (the manual's
# example swaps "a grey background instead of black"). Inferred, not documented: white text
# in night mode, and that these rules sit at ``body.nightMode`` specificity like desktop's,
# so they beat a plain ``.card`` rule; the reviewer.css-like defaults below are taken from
# Anki's shared reviewer stylesheet, on the assumption that AnkiMobile reuses Anki's web code.
ANKIMOBILE_CSS: Final[str] = """
body { margin: 20px; overflow-wrap: break-word; }
body.nightMode { background-color: black; color: white; }
img { max-width: 100%; max-height: 95vh; }
li { text-align: start; }
pre { text-align: left; }
#typeans { width: 100%; box-sizing: border-box; }
code#typeans { white-space: pre-wrap; font-variant-ligatures: none; }
.typeGood { background: #afa; color: #000; }
.typeBad { color: #000; background: #faa; }
.typeMissed { color: #000; background: #ccc; }
.nightMode .latex { filter: invert(100%); }
"""
