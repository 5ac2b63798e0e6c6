// The views' form controls: @vscode-elements/elements web components, which draw
// themselves with VS Code's own look from its --vscode-* variables (the successor of the
// deprecated @vscode/webview-ui-toolkit). One module per component is imported, so the
// bundle carries only these; they style their shadow roots with constructable stylesheets
// (adoptedStyleSheets), which the webview's CSP does not restrict as it does <style>.
// Range sliders, the dataset's cell editor, chips, legend toggles and the charts stay native
// (webview/dom.ts): the library has no slider, and the others are not push buttons.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeOption } from '@vscode-elements/elements/dist/vscode-option/vscode-option.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { h } from './dom';

export type { VscodeButton, VscodeCheckbox, VscodeOption, VscodeSingleSelect, VscodeTextfield };

// vscode-button reflects `disabled` as an attribute but says nothing to a screen reader:
// aria-disabled follows it, for every button, however it was disabled.
new MutationObserver((records) => {
  for (const { target } of records)
    if (target instanceof HTMLElement && target.localName === 'vscode-button')
      target.setAttribute('aria-disabled', String(target.hasAttribute('disabled')));
}).observe(document.documentElement, { subtree: true, attributeFilter: ['disabled'] });

/** A push button; `secondary` for the less prominent ones (VS Code's secondary button). */
export function button(
  text: string,
  cls?: string,
  attrs: Record<string, string> = {},
  secondary = false,
): VscodeButton {
  const b = h('vscode-button', text, cls, attrs);
  if (secondary) b.secondary = true;
  return b;
}

/** A checkbox whose label is its text (the name a screen reader says). */
export function checkbox(label: string, cls?: string, attrs: Record<string, string> = {}): VscodeCheckbox {
  return h('vscode-checkbox', label, cls, attrs);
}

/**
 * A drop-down; `label` is its accessible name (the component puts it on its inner
 * combobox). Listen for `change` on the element itself: the component's event does not
 * bubble. Set its value with `setValue` / `setOptions`, not `.value` alone (see there).
 */
export function select(
  label: string,
  options: readonly (readonly [value: string, text: string])[],
  cls?: string,
  value?: string,
): VscodeSingleSelect {
  const s = h('vscode-single-select', undefined, cls, { label });
  setOptions(s, options, value ?? options[0]?.[0] ?? '');
  // A pick by the user: the options' `selected` flags follow (a listener added first runs first).
  s.addEventListener('change', () => markSelected(s, s.value));
  return s;
}

/** Replaces a drop-down's options and selects `value` (the component reads them a task later). */
export function setOptions(
  s: VscodeSingleSelect,
  options: readonly (readonly [string, string])[],
  value: string,
): void {
  s.replaceChildren(...options.map(([v, text]) => h('vscode-option', text, undefined, { value: v })));
  setValue(s, value);
}

/**
 * Selects `value`. The component rebuilds its list from the options' `selected` flags
 * whenever an option changes (text, disabled) or the options are replaced, so the flags are
 * kept in step with the value, or such a rebuild would select a stale option.
 */
export function setValue(s: VscodeSingleSelect, value: string): void {
  markSelected(s, value);
  s.value = value;
}

/** The option whose value is `value` (to disable it, say). */
export function optionOf(s: VscodeSingleSelect, value: string): VscodeOption | undefined {
  return [...s.querySelectorAll('vscode-option')].find((o) => o.value === value);
}

function markSelected(s: VscodeSingleSelect, value: string): void {
  for (const o of s.querySelectorAll('vscode-option')) o.selected = o.value === value;
}

/** A one-line text input; `label` is its accessible name (set on the inner input). */
export function textfield(label: string, cls?: string, attrs: Record<string, string> = {}): VscodeTextfield {
  const t = h('vscode-textfield', undefined, cls, attrs);
  t.label = label;
  return t;
}
