// KMS Trainer editor: turns <textarea data-editor="json|yaml"> into CodeMirror 6 editors.
// The textarea stays the source of truth for forms (no-JS posts and htmx posts both read it);
// every change is copied back and announced with an "editor-change" event, which htmx uses to
// fetch the engine's lint findings. Findings come back as data-findings on the findings panel
// and are shown inline as diagnostics. Buttons with data-show-lines highlight a statement.
// Typing completes KMS actions, condition keys and operators: the list is the simulator's own,
// fetched once from the URL in <meta name="kms-completions">.
import { EditorView, basicSetup } from "codemirror";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { setDiagnostics } from "@codemirror/lint";
import { Compartment, EditorState, StateEffect, StateField } from "@codemirror/state";
import { Decoration } from "@codemirror/view";
import { oneDark } from "@codemirror/theme-one-dark";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";

const views = new Map();

let completions = null;
function loadCompletions() {
  if (!completions) {
    const meta = document.querySelector('meta[name="kms-completions"]');
    completions = !meta ? Promise.resolve([]) : fetch(meta.content, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { completions: [] }))
      .then((data) => data.completions || [])
      .catch(() => []);
  }
  return completions;
}

// A word of an action, a condition key or an operator ("kms:Decr", "aws:Principal", "StringEq").
const WORD = /[A-Za-z][\w:*\/.-]*$/;
async function completeKms(context) {
  const word = context.matchBefore(WORD);
  if (!word && !context.explicit) return null;
  const options = await loadCompletions();
  return { from: word ? word.from : context.pos, options, validFor: /^[\w:*\/.-]*$/ };
}
const kmsCompletion = EditorState.languageData.of(() => [{ autocomplete: completeKms }]);

// The editor follows the page's colour mode (data-bs-theme, set by theme.js): One Dark in dark mode.
const themeSlot = new Compartment();
const isDark = () => document.documentElement.getAttribute("data-bs-theme") === "dark";
// One Dark's comments (#7d8799) are under 4.5:1 on the page's dark background: lighten them
const readableComments = syntaxHighlighting(HighlightStyle.define([{ tag: tags.comment, color: "#a9b1bf" }]));
const themeFor = () => (isDark() ? [readableComments, oneDark] : []);
new MutationObserver(() => {
  for (const view of views.values()) view.dispatch({ effects: themeSlot.reconfigure(themeFor()) });
}).observe(document.documentElement, { attributes: true, attributeFilter: ["data-bs-theme"] });

const highlightEffect = StateEffect.define();
const highlightField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(highlightEffect)) {
        const { from, to } = e.value;
        const ranges = [];
        for (let line = from; line <= to; line++) {
          if (line >= 1 && line <= tr.state.doc.lines) {
            ranges.push(Decoration.line({ class: "cm-deciding" }).range(tr.state.doc.line(line).from));
          }
        }
        deco = Decoration.set(ranges);
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function enhance(textarea) {
  if (views.has(textarea.id) || !textarea.id) return;
  const language = textarea.dataset.editor === "yaml" ? yaml() : json();
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        basicSetup,
        language,
        highlightField,
        kmsCompletion,
        EditorView.lineWrapping,
        themeSlot.of(themeFor()),
        // tabindex 0 says outright that the editor (and so its scrolling region) takes keyboard focus
        EditorView.contentAttributes.of({ "aria-label": label ? label.textContent.trim() : textarea.name,
                                          tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            textarea.value = update.state.doc.toString();
            textarea.dispatchEvent(new Event("editor-change", { bubbles: true }));
          }
        }),
      ],
    }),
  });
  textarea.classList.add("visually-hidden");
  textarea.setAttribute("tabindex", "-1");
  textarea.setAttribute("aria-hidden", "true");
  textarea.insertAdjacentElement("afterend", view.dom);
  view.dom.classList.add("cm-host");
  view.dom.dataset.editorFor = textarea.id;
  views.set(textarea.id, view);
}

function offsetOf(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(l.from + Math.max(column - 1, 0), l.to);
}

function showFindings(panel) {
  const view = views.get(panel.dataset.findingsFor);
  if (!view) return;
  let findings = [];
  try {
    findings = JSON.parse(panel.dataset.findings || "[]");
  } catch (e) {
    return;
  }
  const doc = view.state.doc;
  const diagnostics = findings
    .filter((f) => f.line)
    .map((f) => {
      const from = offsetOf(doc, f.line, f.column || 1);
      const to = Math.max(from + 1, Math.min(doc.line(Math.min(f.line, doc.lines)).to, doc.length));
      const severity = f.severity === "ERROR" ? "error" : f.severity === "SUGGESTION" ? "info" : "warning";
      return { from, to: Math.min(to, doc.length), severity, message: `${f.code}: ${f.message}` };
    });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

function showLines(button) {
  const view = views.get(button.dataset.showLinesIn);
  if (!view) return;
  const [from, to] = button.dataset.showLines.split("-").map(Number);
  view.dispatch({
    effects: [highlightEffect.of({ from, to }), EditorView.scrollIntoView(view.state.doc.line(from).from, { y: "center" })],
  });
  view.dom.scrollIntoView({ block: "center", behavior: "smooth" });
}

function scan(root) {
  if (!root || !root.querySelectorAll) return;
  if (root.matches && root.matches("textarea[data-editor]")) enhance(root);
  if (root.matches && root.matches("[data-findings-for]")) showFindings(root);
  root.querySelectorAll("textarea[data-editor]").forEach(enhance);
  root.querySelectorAll("[data-findings-for]").forEach(showFindings);
}

document.addEventListener("DOMContentLoaded", () => scan(document));
document.addEventListener("htmx:afterSettle", (event) => {
  scan(event.target);
  (event.detail.elt ? [event.detail.elt] : []).forEach(scan);
  document.querySelectorAll("[data-findings-for]").forEach(showFindings);
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-show-lines]");
  if (button) {
    event.preventDefault();
    showLines(button);
  }
});
// Keep the editors' text in the textareas before htmx serialises a form.
document.addEventListener("htmx:configRequest", () => {
  views.forEach((view, id) => {
    const textarea = document.getElementById(id);
    if (textarea) textarea.value = view.state.doc.toString();
  });
});
window.kmsEditors = views;
