// One campaign's case: why flagged (rules with thresholds, every signal), the links between its
// members as a graph of accounts and hashed link keys, the union coverage against each member's,
// the member table with each member's own level and a link to its account page, the decisions,
// clear / confirm with a required note, the audit trail and the bundle export.
import './trusted-types.js';
import { casePage, fmt } from './case-page.js';
import { linkGraph, memberCoverageChart } from './charts.js';
import { el } from './marks.js';

const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const enc = encodeURIComponent(id);
const charts = [];

function row(...cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function header(c) {
  $('campaign-id').textContent = c.campaign_id;
  const level = $('level');
  level.textContent = c.level;
  level.className = 'level level-' + c.level;
  $('summary').textContent = `${c.members_total} members · ${c.coverage.union_categories} categories together · level since ${c.level_since ?? '—'}`;
  $('why').textContent = c.why;
  if (c.merged_into) {
    const to = el('a', c.merged_into, 'mono', true);
    to.href = '/console/campaigns/' + encodeURIComponent(c.merged_into);
    const note = el('p', 'Merged into ', 'merged');
    note.append(to, ': its members and open case live on there.');
    $('why').after(note);
  }
  $('reasons-body').replaceChildren(
    ...c.reasons.map((r) => row(el('td', r.rule), el('td', r.signal), el('td', fmt(r.value)), el('td', fmt(r.threshold)))),
  );
  // The signals its last decision was made on (none while never decided) beside those now.
  const names = [...new Set([...Object.keys(c.signals), ...Object.keys(c.current_signals ?? {})])].sort();
  $('signals-body').replaceChildren(
    ...names.map((k) => row(el('td', k), el('td', fmt(c.signals[k])), el('td', fmt(c.current_signals?.[k])))),
  );
}

function links(c) {
  const keys = c.graph.nodes.filter((n) => n.kind !== 'account');
  $('links-body').replaceChildren(
    ...keys.map((k) =>
      row(el('td', k.kind, 'kind-' + k.kind), el('td', k.type), el('td', k.value, 'mono'), el('td', fmt(k.weight)), el('td', fmt(k.members))),
    ),
  );
  charts.push(linkGraph($('graph-chart'), c.graph));
}

function coverage(c) {
  const cov = c.coverage;
  $('coverage-summary').textContent =
    `Each row is one member's queries by category, coloured relative to its own largest share: the members ask narrow slices, the union (top row) covers ${cov.union_categories} of ${cov.categories.length} categories.` +
    (cov.members.length < c.members_total ? ` The first ${cov.members.length} members are drawn.` : '');
  $('coverage-chart').style.height = `${Math.max(260, (cov.members.length + 1) * 18 + 180)}px`;
  charts.push(memberCoverageChart($('coverage-chart'), cov));
}

function members(c) {
  $('members-note').textContent =
    c.members.length < c.members_total ? `The first ${c.members.length} of ${c.members_total} members; the bundle lists all.` : '';
  $('members-body').replaceChildren(
    ...c.members.map((m) => {
      const idCell = document.createElement('td');
      const a = el('a', m.account_id, 'account mono', true);
      a.href = '/console/account.html?id=' + encodeURIComponent(m.account_id);
      idCell.append(a);
      const levelCell = document.createElement('td');
      if (m.level) levelCell.append(el('span', m.level, 'level level-' + m.level));
      const tr = row(
        el('td', 'm' + m.index),
        idCell,
        levelCell,
        el('td', fmt(m.queries)),
        el('td', fmt(m.categories)),
        el('td', m.first_seen ?? '—'),
        el('td', m.signup_at ?? '—'),
        el('td', m.expected_categories.join(', ') || '—'),
      );
      tr.className = 'member';
      return tr;
    }),
  );
}

function history(c) {
  $('decisions').replaceChildren(
    ...c.decisions.map((d) => el('li', `${d.at} ${d.from} → ${d.to} with ${d.members} members (${d.why})`, 'decision-entry')),
  );
  $('audit-body').replaceChildren(
    ...c.audit.map((a) => {
      const tr = row(el('td', a.at), el('td', a.verdict), el('td', a.reviewer, null, true), el('td', a.note, 'note', true), el('td', fmt(a.members)));
      tr.className = 'audit-entry';
      return tr;
    }),
  );
  $('audit-empty').hidden = c.audit.length > 0;
}

casePage({
  casePath: `/console/api/campaigns/${enc}`,
  reviewPath: `/v1/campaigns/${enc}/review`,
  bundlePath: `/console/api/campaigns/${enc}/bundle`,
  upHref: '/console/',
  charts,
  render: (c) => {
    header(c);
    links(c);
    coverage(c);
    members(c);
    history(c);
  },
});
