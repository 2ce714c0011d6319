// ECharts, only the parts the console uses, on the canvas renderer. Tooltips render as rich text
// inside the canvas (renderMode 'richText'): no HTML tooltips, so no inline styles or markup that a
// strict Content-Security-Policy would refuse, and no attacker text is ever put in chart options.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
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
