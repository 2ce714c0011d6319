// The case queue: open cases, most severe and oldest first, filterable by level, rule and stated-use
// category; a campaign is one row with its member count (its members only it flagged are listed
// when "campaign members" is ticked); j/k move, Enter (or o) opens, / focuses the first filter.
import './trusted-types.js';
import { Unauthorized, duration, getJson, tokenForm } from './api.js';
import { sparkline } from './charts.js';
import { el } from './marks.js';

const state = { cases: [], shown: [], selected: 0, charts: [] };
const $ = (id) => document.getElementById(id);

function options(select, values) {
  const keep = select.value;
  select.replaceChildren(el('option', 'all'));
  select.firstChild.value = '';
  for (const v of [...new Set(values)].filter(Boolean).sort()) {
    const o = el('option', v);
    o.value = v;
    select.append(o);
  }
  select.value = keep;
}

function render() {
  const level = $('f-level').value;
  const rule = $('f-rule').value;
  const cat = $('f-category').value;
  state.shown = state.cases.filter(
    (c) =>
      (!level || c.level === level) &&
      (!rule || c.rules.includes(rule)) &&
      (!cat || c.stated_use_category === cat),
  );
  state.charts.forEach((c) => c.dispose());
  state.charts = [];
  const body = $('cases-body');
  body.replaceChildren();
  const now = Date.now();
  state.shown.forEach((c, i) => {
    const tr = document.createElement('tr');
    tr.className = c.campaign_id ? 'case campaign' : c.kind === 'campaign member' ? 'case member' : 'case';
    tr.dataset.index = String(i);
    tr.append(el('td', c.kind));
    const levelCell = document.createElement('td');
    levelCell.append(el('span', c.level, 'level level-' + c.level));
    if (c.regressed) levelCell.append(el('span', 'regressed', 'badge regressed'));
    tr.append(levelCell);
    const idCell = document.createElement('td');
    const a = el('a', c.account_id ?? c.campaign_id, 'account mono', true);
    a.href = href(c);
    idCell.append(a);
    if (c.member_of) {
      const of = el('a', 'of ' + c.member_of, 'member-of mono muted', true);
      of.href = '/console/campaigns/' + encodeURIComponent(c.member_of);
      idCell.append(' ', of);
    }
    tr.append(idCell);
    const why = el('td', c.why, 'why');
    why.title = c.why_full;
    tr.append(why);
    tr.append(
      el('td', `${c.stated_use_category ?? '—'} → ${c.top_observed_category ?? '—'}`, 'cats'),
    );
    const sparkCell = document.createElement('td');
    const spark = el('div', null, 'spark');
    sparkCell.append(spark);
    tr.append(sparkCell);
    const since = c.level_since ? Date.parse(c.level_since) : NaN;
    const age = el('td', Number.isNaN(since) ? '—' : duration(now - since), 'age');
    age.title = 'at this level since ' + (c.level_since ?? '—') + ' (event time)';
    tr.append(age);
    tr.addEventListener('click', () => select(i));
    tr.addEventListener('dblclick', () => open());
    body.append(tr);
    if (i < 60 && c.volume_sparkline.length > 1) {
      state.charts.push(sparkline(spark, c.volume_sparkline));
    }
  });
  const members = state.cases.filter((c) => c.campaign_id).reduce((n, c) => n + (c.members ?? 0), 0);
  $('count').textContent =
    `${state.shown.length} of ${state.cases.length} open cases` +
    (members > 0 && !$('f-members').checked ? ` (campaigns hold ${members} members)` : '');
  $('empty').hidden = state.shown.length > 0;
  select(Math.min(state.selected, Math.max(0, state.shown.length - 1)));
}

function select(i) {
  state.selected = i;
  document.querySelectorAll('tr.case').forEach((tr) => {
    tr.classList.toggle('selected', Number(tr.dataset.index) === i);
  });
  document.querySelector('tr.case.selected')?.scrollIntoView({ block: 'nearest' });
}

/** An account case opens its account page, a campaign case its campaign page. */
function href(c) {
  return c.campaign_id
    ? '/console/campaigns/' + encodeURIComponent(c.campaign_id)
    : 'account.html?id=' + encodeURIComponent(c.account_id);
}

function open() {
  const c = state.shown[state.selected];
  if (c) location.href = href(c);
}

async function load() {
  try {
    const data = await getJson('/console/api/cases' + ($('f-members').checked ? '?members=true' : ''));
    $('auth').replaceChildren();
    state.cases = data.cases;
    options($('f-rule'), state.cases.flatMap((c) => c.rules));
    options($('f-category'), state.cases.map((c) => c.stated_use_category));
    render();
  } catch (e) {
    if (e instanceof Unauthorized) tokenForm($('auth'), load);
    else $('error').textContent = String(e.message ?? e);
  }
}

document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  if (e.key === 'j') select(Math.min(state.selected + 1, state.shown.length - 1));
  else if (e.key === 'k') select(Math.max(state.selected - 1, 0));
  else if (e.key === 'Enter' || e.key === 'o') open();
  else if (e.key === '/') {
    e.preventDefault();
    $('f-level').focus();
  } else return;
  e.preventDefault();
});
for (const id of ['f-level', 'f-rule', 'f-category']) $(id).addEventListener('change', render);
$('f-members').addEventListener('change', load);
load();
