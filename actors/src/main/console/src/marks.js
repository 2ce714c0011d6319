// Attacker-written text (prompts, stated uses, ids, notes) goes into the page through textContent
// only. Characters that reorder or hide text (bidirectional controls, zero-width characters:
// "Trojan Source") are shown as visible marks, so what a reviewer reads is what was sent.

const INVISIBLE =
  /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** True when the text holds any character that would be invisible or reorder its neighbours. */
export function hasInvisible(s) {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(s ?? '');
}

/** Appends `s` to `el` as text, every invisible character replaced by a visible mark element. */
export function appendMarked(el, s) {
  const text = s ?? '';
  let last = 0;
  INVISIBLE.lastIndex = 0;
  for (const m of text.matchAll(INVISIBLE)) {
    if (m.index > last) el.append(document.createTextNode(text.slice(last, m.index)));
    const mark = document.createElement('span');
    mark.className = 'mark';
    const cp = m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
    mark.textContent = `⟦U+${cp}⟧`;
    mark.title = 'invisible character U+' + cp;
    el.append(mark);
    last = m.index + m[0].length;
  }
  if (last < text.length) el.append(document.createTextNode(text.slice(last)));
  return el;
}

/** A new element with text content (marked when `marked`) and optional class. */
export function el(tag, text, className, marked = false) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) {
    if (marked) appendMarked(e, String(text));
    else e.textContent = String(text);
  }
  return e;
}
