// What the account and campaign case pages share: the number format, loading the case (the token
// form on 401, the page's charts disposed before each render and resized with the window), the
// decision bar (clear / confirm with a required note), the bundle export and the shortcuts
// ('n' focuses the note, 'u' goes up to the list).
import { Unauthorized, getBlob, getJson, postJson, tokenForm } from './api.js';

const $ = (id) => document.getElementById(id);

export function fmt(v) {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? '—');
}

/**
 * Wires a case page and loads it: `casePath` is the case's console API path, `reviewPath` where
 * a verdict is posted, `bundlePath` the bundle export, `upHref` where 'u' leads; `render(c)` draws
 * the case, pushing every chart it makes onto `charts` (the page's array, emptied on each load).
 */
export function casePage({ casePath, reviewPath, bundlePath, upHref, charts, render }) {
  async function load() {
    try {
      const c = await getJson(casePath);
      $('auth').replaceChildren();
      charts.forEach((x) => x.dispose());
      charts.length = 0;
      render(c);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      if (e instanceof Unauthorized) tokenForm($('auth'), load);
      else $('error').textContent = String(e.message ?? e);
    }
  }

  async function decide(verdict) {
    const note = $('note').value.trim();
    const reviewer = $('reviewer').value.trim();
    const msg = $('decision-msg');
    if (!reviewer || !note) {
      msg.textContent = 'A reviewer name and a note are required.';
      msg.className = 'error';
      return;
    }
    localStorage.setItem('distillguard.reviewer', reviewer);
    try {
      const s = await postJson(reviewPath, { verdict, reviewer, note });
      msg.textContent = `Recorded: ${s.level}`;
      msg.className = 'ok';
      $('note').value = '';
      await load();
    } catch (e) {
      msg.textContent = String(e.message ?? e);
      msg.className = 'error';
    }
  }

  async function exportBundle() {
    const { blob, name } = await getBlob(bundlePath);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  $('reviewer').value = localStorage.getItem('distillguard.reviewer') ?? '';
  $('clear').addEventListener('click', () => decide('CLEARED'));
  $('confirm').addEventListener('click', () => decide('CONFIRMED'));
  $('export').addEventListener('click', () => exportBundle().catch((e) => ($('error').textContent = String(e.message ?? e))));
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.key === 'n') {
      e.preventDefault();
      $('note').focus();
    } else if (e.key === 'u') {
      location.href = upHref;
    }
  });
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  load();
}
