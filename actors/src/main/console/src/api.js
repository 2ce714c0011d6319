// The console's data comes from the actor service's JSON API with its bearer token, which the
// reviewer enters once per browser session (kept in sessionStorage, sent only to this origin).

const KEY = 'distillguard.token';

export class Unauthorized extends Error {}

function headers(extra = {}) {
  const token = sessionStorage.getItem(KEY);
  return token ? { ...extra, Authorization: 'Bearer ' + token } : extra;
}

export async function getJson(path) {
  const r = await fetch(path, { headers: headers({ Accept: 'application/json' }) });
  if (r.status === 401) throw new Unauthorized();
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

export async function postJson(path, body) {
  const r = await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
    body: JSON.stringify(body),
  });
  if (r.status === 401) throw new Unauthorized();
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(json.error ?? `HTTP ${r.status}`);
  return json;
}

export async function getBlob(path) {
  const r = await fetch(path, { headers: headers() });
  if (r.status === 401) throw new Unauthorized();
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  const name = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') ?? '')?.[1];
  return { blob: await r.blob(), name: name ?? 'case-bundle.zip' };
}

/** Shows the token form in `host`; calls `onSaved` once the reviewer saved a token. */
export function tokenForm(host, onSaved) {
  host.replaceChildren();
  const form = document.createElement('form');
  form.id = 'token-form';
  const label = document.createElement('label');
  label.textContent = 'API token (Authorization: Bearer): ';
  const input = document.createElement('input');
  input.type = 'password';
  input.id = 'token';
  input.autocomplete = 'off';
  label.append(input);
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = 'Use token';
  form.append(label, button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    onSaved();
  });
  host.append(form);
  input.focus();
}

/** "3 h 12 min" from milliseconds. */
export function duration(ms) {
  const min = Math.max(0, Math.round(ms / 60000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
