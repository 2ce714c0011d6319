// ECharts, only the parts the console uses, on the canvas renderer. Tooltips render as rich text
// inside the canvas (renderMode 'richText'): no HTML tooltips, so no inline styles or markup that a
// strict Content-Security-Policy would refuse, and no attacker text is ever put in chart options.
import * as echarts from 'echarts/core';
import { BarChart, GraphChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  GraphChart,
  HeatmapChart,
  LineChart,
  VisualMapComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export const OFF_USE = '#c62828';
const OBSERVED = '#1565c0';
const EXPECTED = '#9e9e9e';

function chart(dom) {
  return echarts.init(dom, null, { renderer: 'canvas' });
}

const TOOLTIP = { trigger: 'axis', renderMode: 'richText', confine: true };

/** Stated (expected) vs observed share per category; observed bars off the stated use in red. */
export function coverageChart(dom, coverage) {
  const rows = coverage.categories;
  const c = chart(dom);
  c.setOption({
    animation: false,
    tooltip: TOOLTIP,
    legend: { data: ['expected from the stated use', 'observed'], top: 0 },
    grid: { left: 150, right: 20, top: 28, bottom: 24 },
    xAxis: { type: 'value', axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.category) },
    series: [
      {
        name: 'expected from the stated use',
        type: 'bar',
        itemStyle: { color: EXPECTED },
        data: rows.map((r) => r.expected_share ?? 0),
      },
      {
        name: 'observed',
        type: 'bar',
        data: rows.map((r) => ({
          value: r.observed_share,
          itemStyle: { color: r.off_use_highlight ? OFF_USE : OBSERVED },
        })),
      },
    ],
  });
  return c;
}

/** Hourly volume with the verification time and every level change marked. */
export function timelineChart(dom, timeline) {
  const marks = [];
  if (timeline.verified_at) {
    marks.push({
      xAxis: timeline.verified_at,
      label: { formatter: 'verified', position: 'insideEndTop' },
      lineStyle: { color: '#2e7d32', type: 'solid', width: 2 },
    });
  }
  for (const ch of timeline.level_changes) {
    marks.push({
      xAxis: ch.at,
      label: { formatter: `→ ${ch.to}`, position: 'insideEndTop' },
      lineStyle: { color: ch.escalation ? OFF_USE : '#6d4c41', type: 'dashed' },
    });
  }
  for (const r of timeline.reviews) {
    marks.push({
      xAxis: r.at,
      label: { formatter: r.verdict.toLowerCase(), position: 'insideEndTop' },
      lineStyle: { color: '#6a1b9a', type: 'dotted', width: 2 },
    });
  }
  const c = chart(dom);
  c.setOption({
    animation: false,
    tooltip: TOOLTIP,
    grid: { left: 50, right: 20, top: 30, bottom: 60 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: `queries / ${timeline.volume_bucket_minutes} min` },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: [
      {
        name: 'queries',
        type: 'line',
        step: 'end',
        showSymbol: false,
        areaStyle: { opacity: 0.15 },
        data: timeline.volume,
        markLine: { symbol: 'none', silent: true, data: marks },
      },
    ],
  });
  return c;
}

/** A row's small volume line. */
export function sparkline(dom, values) {
  const c = chart(dom);
  c.setOption({
    animation: false,
    grid: { left: 1, right: 1, top: 2, bottom: 2 },
    xAxis: { type: 'category', show: false, data: values.map((_, i) => i) },
    yAxis: { type: 'value', show: false },
    series: [{ type: 'line', data: values, showSymbol: false, lineStyle: { width: 1 } }],
  });
  return c;
}

const ITEM_TOOLTIP = { trigger: 'item', renderMode: 'richText', confine: true };

/**
 * Traffic by capability category and day: one cell per (day, category) with its query count;
 * categories the stated use does not explain are labelled in red with a "(off-use)" mark.
 */
export function categoryDayChart(dom, heat) {
  const labels = heat.categories.map((c, i) => (heat.off_use[i] ? `${c} (off-use)` : c));
  const max = Math.max(1, ...heat.cells.map((c) => c[2]));
  const c = chart(dom);
  c.setOption({
    animation: false,
    tooltip: { ...ITEM_TOOLTIP, formatter: (p) => `${heat.days[p.value[0]]} · ${labels[p.value[1]]}: ${p.value[2]}` },
    grid: { left: 190, right: 20, top: 10, bottom: 70 },
    xAxis: { type: 'category', data: heat.days, splitArea: { show: true } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: labels,
      axisLabel: { color: (v, i) => (heat.off_use[i] ? OFF_USE : '#333') },
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#f5f9ff', '#1565c0'] },
    },
    series: [{ type: 'heatmap', data: heat.cells, emphasis: { disabled: true } }],
  });
  return c;
}

const KIND_COLORS = {
  account: '#546e7a',
  infrastructure: '#8d6e63',
  registration: '#6a1b9a',
  content: OFF_USE,
};

/**
 * The campaign's link graph: member accounts (labelled m1, m2... as in the member table, never by
 * their ids) and the link keys they share (labelled by type; colour by kind, size by weight).
 */
export function linkGraph(dom, graph) {
  const kinds = ['account', 'infrastructure', 'registration', 'content'];
  const nodes = graph.nodes.map((n) => ({
    id: n.id,
    name: n.id,
    category: kinds.indexOf(n.kind),
    symbolSize: n.kind === 'account' ? 14 : 10 + 22 * (n.weight ?? 0),
    symbol: n.kind === 'account' ? 'circle' : 'diamond',
    label: { show: true, formatter: n.kind === 'account' ? n.id : n.type },
    value: n.kind === 'account' ? n.level ?? '' : `${n.type} ${n.value} weight ${(n.weight ?? 0).toFixed(2)}, ${n.members} members`,
  }));
  const c = chart(dom);
  c.setOption({
    animation: false,
    tooltip: { ...ITEM_TOOLTIP, formatter: (p) => (p.dataType === 'node' ? `${p.data.id}: ${p.data.value}` : '') },
    legend: { data: kinds, top: 0 },
    series: [
      {
        type: 'graph',
        layout: 'force',
        force: { repulsion: 120, edgeLength: 60, gravity: 0.08, layoutAnimation: false },
        roam: true,
        draggable: true,
        categories: kinds.map((k) => ({ name: k, itemStyle: { color: KIND_COLORS[k] } })),
        data: nodes,
        links: graph.edges.map((e) => ({ source: e.source, target: e.target })),
        lineStyle: { color: '#90a4ae', opacity: 0.6 },
        label: { fontSize: 10, position: 'right' },
      },
    ],
  });
  return c;
}

/**
 * Union coverage against each member's: rows are the union and each drawn member (m1, m2...),
 * columns the capability categories. A cell's colour is the row's share of its own queries
 * relative to the row's largest share, so a narrow member shows a few strong cells and a union
 * that covers everything a full row; the tooltip gives the share itself.
 */
export function memberCoverageChart(dom, coverage) {
  const rows = ['union', ...coverage.members.map((m) => `m${m.member}`)];
  const shares = [coverage.union_share, ...coverage.members.map((m) => m.shares)];
  const cells = [];
  shares.forEach((row, i) => {
    const top = Math.max(...row);
    row.forEach((v, j) => {
      if (v > 0) cells.push([j, i, Number((v / top).toFixed(3))]);
    });
  });
  const c = chart(dom);
  c.setOption({
    animation: false,
    tooltip: {
      ...ITEM_TOOLTIP,
      formatter: (p) =>
        `${rows[p.value[1]]} · ${coverage.categories[p.value[0]]}: ${(shares[p.value[1]][p.value[0]] * 100).toFixed(1)}% of its queries`,
    },
    grid: { left: 60, right: 20, top: 10, bottom: 150 },
    xAxis: { type: 'category', data: coverage.categories, axisLabel: { rotate: 50, fontSize: 10 }, splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: rows, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: 1,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      text: ["row's largest share", 'none'],
      inRange: { color: ['#ffebee', OFF_USE] },
    },
    series: [{ type: 'heatmap', data: cells, emphasis: { disabled: true } }],
  });
  return c;
}
