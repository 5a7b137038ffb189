// The history view: what the tenant's analytics kept over the last hour, day, week or month, from
// GET /api/v1/visualizations, which serves the series column-wise as uPlot takes them (null where a step has no data,
// drawn as a gap). The figures above the charts are worked out from the same response, so they always match the lines.
import uPlot from 'uplot';

const refreshMilliseconds = 60_000;
const chartHeight = 200;
const axisStroke = '#3b4252';
const blue = '#1d6fb8';
const amber = '#8a5300';
const red = '#b3261e';
const green = '#1e6b34';

const rangeNames = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };

// uPlot's own time labels are 12-hour; these are 24-hour, with the date underneath where the day changes.
const minute = 60;
const hour = 3600;
const day = 86_400;
export const timeLabels = [
  [day * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [day, '{D} {MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [hour, '{HH}:{mm}', '\n{D} {MMM} {YYYY}', null, '\n{D} {MMM}', null, null, null, 1],
  [minute, '{HH}:{mm}', '\n{D} {MMM} {YYYY}', null, '\n{D} {MMM}', null, null, null, 1],
];

const number = (value, digits = 2) => value.toLocaleString(undefined, { maximumFractionDigits: digits });
const percent = (value) => `${value.toFixed(1)} %`;

/** Milliseconds as a person reads them: 840 ms, 2.35 s, 12.5 s, 3.2 min. */
export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

const known = (values) => values.filter((value) => value !== null && value !== undefined);
const sum = (values) => known(values).reduce((total, value) => total + value, 0);
const highest = (values) => (known(values).length === 0 ? null : Math.max(...known(values)));
const average = (values) => (known(values).length === 0 ? null : sum(values) / known(values).length);

/**
 * The figures shown beside the charts. Counts add up over the steps and the error rate is taken from those totals;
 * a percentile of the whole range cannot be had from the steps' percentiles, so the worst step's p95 is shown, named so.
 */
export function summarise(series) {
  const submitted = sum(series.submitted);
  const completed = sum(series.completed);
  const failed = sum(series.failed);
  const finished = completed + failed;
  return {
    submitted,
    completed,
    failed,
    errorRate: finished === 0 ? null : (100 * failed) / finished,
    peakThroughput: highest(series.throughput),
    scheduleToStartP95: highest(series.scheduleToStartP95),
    runTimeP95: highest(series.runTimeP95),
    utilisation: average(series.utilisation),
  };
}

const figureFormats = {
  submitted: (value) => number(value, 0),
  completed: (value) => number(value, 0),
  failed: (value) => number(value, 0),
  errorRate: percent,
  peakThroughput: (value) => number(value),
  scheduleToStartP95: duration,
  runTimeP95: duration,
  utilisation: percent,
};

/** Isolated steps (data with none either side) draw no line, so they are drawn as points. */
export function pointsWhereIsolated(u, seriesIndex) {
  const values = u.data[seriesIndex];
  return values.some((value, i) => value != null && values[i - 1] == null && values[i + 1] == null);
}

const line = (key, label, stroke, format, extra = {}) => ({
  key,
  label,
  stroke,
  width: 2,
  spanGaps: false,
  points: { show: pointsWhereIsolated, size: 5, fill: stroke },
  value: (_, value) => (value == null ? '–' : format(value)),
  ...extra,
});

// Counts, rates and latencies start at zero, so a step's height reads against nothing rather than against its neighbours.
const fromZero = { range: (_, min, max) => [0, Math.max(max, 0) * 1.1 || 1] };

const latencyAxis = { stroke: axisStroke, size: 60, values: (_, splits) => splits.map(duration) };

/** Each chart: its container, its y axes and the series it draws, by their names in the response. */
const charts = [
  {
    id: 'history-throughput',
    scales: { y: fromZero, rate: { range: [0, 100] } },
    axes: [
      { stroke: axisStroke, label: 'per minute' },
      { scale: 'rate', side: 1, stroke: axisStroke, label: '% failed', grid: { show: false } },
    ],
    series: [
      line('throughput', 'Completed / min', blue, (value) => number(value)),
      line('errorRate', 'Error rate', red, percent, { dash: [6, 3], scale: 'rate' }),
    ],
  },
  {
    id: 'history-schedule-to-start',
    scales: { y: fromZero },
    axes: [latencyAxis],
    series: [
      line('scheduleToStartP50', 'p50', blue, duration),
      line('scheduleToStartP95', 'p95', amber, duration, { dash: [6, 3] }),
      line('scheduleToStartP99', 'p99', red, duration, { dash: [2, 3] }),
    ],
  },
  {
    id: 'history-run-time',
    scales: { y: fromZero },
    axes: [latencyAxis],
    series: [
      line('runTimeP50', 'p50', blue, duration),
      line('runTimeP95', 'p95', amber, duration, { dash: [6, 3] }),
      line('runTimeP99', 'p99', red, duration, { dash: [2, 3] }),
    ],
  },
  {
    id: 'history-utilisation',
    scales: { y: { range: [0, 100] }, count: { range: (_, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      { stroke: axisStroke, label: '% busy' },
      { scale: 'count', side: 1, stroke: axisStroke, label: 'tasks / agents', grid: { show: false } },
    ],
    series: [
      line('utilisation', 'Utilisation', blue, percent),
      line('queueDepth', 'Queue depth', amber, (value) => number(value, 1), { scale: 'count', dash: [6, 3] }),
      line('onlineAgents', 'Online agents', green, (value) => number(value, 1), { scale: 'count', dash: [2, 3] }),
    ],
  },
];

export class HistoryView {
  #api;
  #range = '24h';
  #window = null;
  #charts = [];
  #figures;
  #buttons = [...document.querySelectorAll('#history-ranges [data-range]')];
  #span = document.getElementById('history-span');
  #error = document.getElementById('history-error');
  #empty = document.getElementById('history-empty');
  #chartsBox = document.getElementById('history-charts');
  #timer;
  /** Answers can overtake each other when the range changes quickly: only the latest request's is drawn. */
  #latest = 0;

  constructor(api) {
    this.#api = api;
    this.#figures = Object.fromEntries(
      [...document.querySelectorAll('#history-figures [data-figure]')].map((node) => [node.dataset.figure, node]),
    );
    for (const button of this.#buttons) {
      button.addEventListener('click', () => this.show(button.dataset.range));
    }
    this.#charts = charts.map((chart) => this.#create(chart));
  }

  start() {
    this.#timer = setInterval(() => this.reload(), refreshMilliseconds);
    return this.reload();
  }

  stop() {
    clearInterval(this.#timer);
  }

  show(range) {
    this.#range = range;
    for (const button of this.#buttons) button.setAttribute('aria-pressed', String(button.dataset.range === range));
    return this.reload();
  }

  /** Never rejects: a refused or failed read is shown in the panel, with the problem's detail. */
  async reload() {
    const request = ++this.#latest;
    try {
      const history = await this.#api.visualizations(this.#range);
      if (request === this.#latest) this.render(history);
    } catch (error) {
      if (request === this.#latest) this.#error.textContent = `Could not read the history: ${error.message}`;
    }
  }

  render(history) {
    this.#error.textContent = '';
    this.#window = [Date.parse(history.from) / 1000, Date.parse(history.to) / 1000];
    const from = new Date(history.from).toLocaleString();
    const to = new Date(history.to).toLocaleString();
    this.#span.textContent = `${rangeNames[history.range] ?? history.range}, in steps of ${stepName(history.stepSeconds)} (${from} – ${to})`;

    const summary = summarise(history.series);
    for (const [name, node] of Object.entries(this.#figures)) {
      const value = summary[name];
      node.dataset.value = value === null ? '' : String(value);
      node.textContent = value === null ? '–' : figureFormats[name](value);
    }

    const empty = Object.values(history.series).every((values) => values.every((value) => value === null || value === 0));
    this.#empty.hidden = !empty;
    this.#chartsBox.hidden = empty;
    this.#chartsBox.dataset.range = history.range;
    for (const { plot, chart } of this.#charts) {
      plot.setData([history.timestamps, ...chart.series.map((series) => history.series[series.key] ?? history.timestamps.map(() => null))]);
    }
  }

  #create(chart) {
    const container = document.getElementById(chart.id);
    const plot = new uPlot(
      {
        width: container.clientWidth || 320,
        height: chartHeight,
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: (_, min, max) => this.#window ?? [min, max] }, ...chart.scales },
        axes: [{ stroke: axisStroke, space: 70, values: timeLabels }, ...chart.axes],
        series: [{ value: '{D} {MMM} {HH}:{mm}' }, ...chart.series],
      },
      [[], ...chart.series.map(() => [])],
      container,
    );
    // A hidden chart (the empty state) measures 0 wide; it is sized again when it shows.
    new ResizeObserver(() => {
      if (container.clientWidth > 0) plot.setSize({ width: container.clientWidth, height: chartHeight });
    }).observe(container);
    return { plot, chart };
  }
}

function stepName(seconds) {
  if (seconds % day === 0) return seconds === day ? 'a day' : `${seconds / day} days`;
  if (seconds % hour === 0) return seconds === hour ? 'an hour' : `${seconds / hour} hours`;
  return seconds === minute ? 'a minute' : `${seconds / minute} minutes`;
}
