// One account's case: stated use verbatim, why flagged, stated vs observed by category, the
// timeline, the prompts that weigh most with their nearest neighbours, the decision bar (a note is
// required) and the audit trail.
import './trusted-types.js';
import { getJson } from './api.js';
import { casePage, fmt } from './case-page.js';
import { categoryDayChart, coverageChart, timelineChart } from './charts.js';
import { el, hasInvisible } from './marks.js';

const $ = (id) => document.getElementById(id);
const id = new URLSearchParams(location.search).get('id') ?? '';
const enc = encodeURIComponent(id);
const charts = [];

function header(c) {
  const s = c.status;
  $('account-id').replaceChildren(el('span', s.account_id, 'mono', true));
  const level = $('level');
  level.textContent = s.level;
  level.className = 'level level-' + s.level;
  $('regressed').hidden = !c.regressed;
  $('queries').textContent = `${s.queries_observed} queries · level since ${s.level_since ?? '—'}`;
  const stated = $('stated-use');
  stated.replaceChildren();
  if (c.profile) {
    stated.append(el('span', c.profile.stated_use, 'stated', true));
    if (hasInvisible(c.profile.stated_use)) {
      stated.append(el('span', ' contains invisible characters (marked)', 'warn'));
    }
  } else {
    stated.append(el('span', 'not available on this node (no profiles file)', 'muted'));
  }
  $('why').textContent = c.why;
  const body = $('reasons-body');
  body.replaceChildren();
  for (const r of s.reasons) {
    const tr = document.createElement('tr');
    tr.append(el('td', r.rule), el('td', r.signal), el('td', fmt(r.value)), el('td', '≥ ' + fmt(r.threshold)));
    body.append(tr);
  }
}

function coverage(c) {
  const cov = c.coverage;
  const list = $('off-use-categories');
  list.replaceChildren();
  const off = cov.categories.filter((r) => r.off_use_highlight);
  for (const r of off) {
    list.append(el('li', `${r.category}: ${r.observed} queries (${(r.observed_share * 100).toFixed(1)}%), expected ${((r.expected_share ?? 0) * 100).toFixed(1)}%`, 'off-use'));
  }
  if (!cov.has_profile) list.append(el('li', 'no stated use known: nothing to compare with', 'muted'));
  else if (off.length === 0) list.append(el('li', 'none: all traffic is in categories the stated use explains', 'muted'));
  $('coverage-chart').style.height = `${Math.max(220, cov.categories.length * 22 + 60)}px`;
  charts.push(coverageChart($('coverage-chart'), cov));
}

function categoryDays(c) {
  const heat = c.category_days;
  const dom = $('category-day-chart');
  dom.style.height = `${Math.max(200, heat.categories.length * 22 + 100)}px`;
  dom.dataset.offUse = String(heat.off_use.filter(Boolean).length);
  charts.push(categoryDayChart(dom, heat));
}

function timeline(c) {
  const t = c.timeline;
  charts.push(timelineChart($('timeline-chart'), t));
  const list = $('level-changes');
  list.replaceChildren();
  if (t.verified_at) list.append(el('li', `${t.verified_at} verified`, 'verified'));
  for (const ch of t.level_changes) {
    list.append(el('li', `${ch.at} ${ch.from} → ${ch.to} (${ch.why})`, 'level-change'));
  }
}

function evidence(c) {
  const list = $('evidence');
  list.replaceChildren();
  if (c.evidence.error) list.append(el('li', c.evidence.error, 'muted'));
  for (const p of c.evidence.prompts) {
    const li = el('li', null, 'prompt-item');
    const meta = el('div', `${p.timestamp} · ${p.category} · similarity to stated use ${fmt(p.stated_use_similarity)} · ${p.why.join('; ')}`, 'meta');
    const text = el('pre', p.prompt, 'prompt', true);
    const button = el('button', 'Nearest neighbours');
    button.type = 'button';
    const near = el('ol', null, 'neighbours');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const r = await getJson(`/v1/accounts/${enc}/evidence?near=${nearQuery(p.prompt)}&limit=6`);
        near.replaceChildren();
        for (const n of r.records.filter((x) => x.event_id !== p.event_id).slice(0, 5)) {
          const item = el('li', null, 'neighbour');
          item.append(el('span', `${fmt(n.score)} · ${n.category} · `, 'meta'), el('span', n.prompt, 'prompt-inline', true));
          near.append(item);
        }
        if (!near.firstChild) near.append(el('li', 'no other stored prompt of this account', 'muted'));
      } catch (e) {
        near.replaceChildren(el('li', String(e.message ?? e), 'error'));
      } finally {
        button.disabled = false;
      }
    });
    li.append(meta, text, button, near);
    list.append(li);
  }
}

/**
 * The prompt as a `near=` query value: the embedder reads only its first ~128 tokens anyway, and
 * the server refuses URLs over 2 KiB, so a long prompt is cut until its encoding fits.
 */
function nearQuery(prompt) {
  let q = prompt;
  while (encodeURIComponent(q).length > 1500) q = q.slice(0, Math.floor(q.length * 0.8));
  return encodeURIComponent(q);
}

function audit(c) {
  const body = $('audit-body');
  body.replaceChildren();
  for (const a of c.audit) {
    const tr = document.createElement('tr');
    tr.className = 'audit-entry';
    tr.append(el('td', a.at), el('td', a.verdict), el('td', a.reviewer, null, true), el('td', a.note, 'note', true));
    body.append(tr);
  }
  $('audit-empty').hidden = c.audit.length > 0;
}

casePage({
  casePath: `/console/api/accounts/${enc}`,
  reviewPath: `/v1/accounts/${enc}/review`,
  bundlePath: `/console/api/accounts/${enc}/bundle`,
  upHref: './',
  charts,
  render: (c) => {
    header(c);
    coverage(c);
    categoryDays(c);
    timeline(c);
    evidence(c);
    audit(c);
  },
});
