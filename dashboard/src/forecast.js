// The forecast view: the tenant's completions per hour over the last 7 days (GET /api/v1/visualizations?range=7d),
// the forecast of the next hours after them with its prediction interval as a band (GET /api/v1/forecasts), the hours
// the models did not expect (GET /api/v1/anomalies) and the agents each capability set needs (GET
// /api/v1/recommendations). All four are read together, so the chart, the lists and the advice are of one moment.
import uPlot from 'uplot';
import { ApiError } from './api.js';
import { element } from './dom.js';
import { duration, pointsWhereIsolated, timeLabels } from './history.js';

// Forecasts change once an hour; five minutes keeps the hour in progress fresh without spending the API-call quota.
const refreshMilliseconds = 5 * 60_000;
// Scrolling the panel into view reads it again, but not more often than this: each read is four metered calls.
const staleMilliseconds = 60_000;
const chartHeight = 240;
const hour = 3600;
const axisStroke = '#3b4252';
const blue = '#1d6fb8';
const amber = '#8a5300';
// Lighter than the forecast line, so the interval's edges never pass for the forecast itself.
const edge = '#b07a2a';
const red = '#b3261e';
// Opaque, so the band reads as one area and is the same colour wherever it is drawn (grid lines and all); its edges
// are drawn over it in a darker amber, so the interval does not depend on a pale fill alone.
export const bandFill = '#f3dcb8';
const series = 'completions';

/** The service's interval level; the response does not carry it (Workforce:Forecasting:ConfidenceThreshold). */
const intervalLabel = '85 % interval';

const methodNames = {
  holtWinters: 'Holt-Winters (daily and weekly seasons)',
  seasonalNaive24: 'seasonal-naive (24 h)',
  seasonalNaive168: 'seasonal-naive (168 h)',
  combination: 'Holt-Winters and seasonal-naive combined',
};

const metricNames = {
  submissions: 'Submissions',
  completions: 'Completions',
  busyAgentHours: 'Busy agent-hours',
  errorRate: 'Error rate',
  scheduleToStartP95: 'Schedule-to-start p95',
};

const number = (value, digits = 1) => value.toLocaleString(undefined, { maximumFractionDigits: digits });
const orDash = (value, format) => (value === null || value === undefined ? '–' : format(value));
const hourText = (iso) => new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const tableRow = (attributes, ...cells) => {
  const row = element('tr', attributes);
  row.append(...cells);
  return row;
};
const time = (iso) => element('time', { datetime: iso }, hourText(iso));

/** How a series' values read: rates in %, latencies as durations, counts as numbers. */
function valueFormat(name) {
  const metric = name.split(':')[0];
  if (metric === 'errorRate') return (value) => `${value.toFixed(1)} %`;
  if (metric === 'scheduleToStartP95') return duration;
  return (value) => number(value);
}

/** `completions:gpu,translate` as "Completions (gpu, translate)"; `:*` is the tasks that require no capability. */
export function seriesName(name) {
  const [metric, capabilities] = name.split(/:(.*)/s);
  const label = metricNames[metric] ?? metric;
  if (capabilities === undefined) return label;
  return `${label} (${capabilities === '*' ? 'no capability required' : capabilities.split(',').join(', ')})`;
}

export const capabilityName = (capability) => (capability === '*' ? 'any capability' : capability.split(',').join(', '));

/** The most agents of the coming hours, and the first hour that needs them; null when no hour has a number. */
export function peakOf(hours) {
  let peak = null;
  for (const each of hours) {
    if (each.agents !== null && each.agents !== undefined && (peak === null || each.agents > peak.agents)) peak = each;
  }
  return peak;
}

/**
 * One row per hour for uPlot: the observed hours and the forecast hours on one time axis (they meet at the hour in
 * progress), with the anomalies of completions placed on their hour. Columns: upper, lower, forecast, observed, anomaly.
 */
export function chartData(history, forecast, anomalies) {
  const rows = new Map();
  const row = (seconds) => {
    if (!rows.has(seconds)) rows.set(seconds, [null, null, null, null, null]);
    return rows.get(seconds);
  };
  (history?.timestamps ?? []).forEach((seconds, i) => {
    row(seconds)[3] = history.series.completed?.[i] ?? null;
  });
  for (const point of forecast?.points ?? []) {
    const values = row(Date.parse(point.at) / 1000);
    values[0] = point.upper ?? null;
    values[1] = point.lower ?? null;
    values[2] = point.value ?? null;
  }
  for (const anomaly of anomalies) {
    if (anomaly.series === series && anomaly.value !== null && anomaly.value !== undefined) {
      row(Math.floor(Date.parse(anomaly.at) / 1000 / hour) * hour)[4] = anomaly.value;
    }
  }

  const xs = [...rows.keys()].sort((a, b) => a - b);
  return [xs, ...[0, 1, 2, 3, 4].map((column) => xs.map((seconds) => rows.get(seconds)[column]))];
}

const line = (label, stroke, extra = {}) => ({
  label,
  stroke,
  width: 2,
  spanGaps: false,
  points: { show: pointsWhereIsolated, size: 5, fill: stroke },
  value: (_, value) => orDash(value, number),
  ...extra,
});

export class ForecastView {
  #api;
  #plot;
  #window = null;
  #panel = document.getElementById('forecast');
  #model = document.getElementById('forecast-model');
  #error = document.getElementById('forecast-error');
  #none = document.getElementById('forecast-none');
  #anomalyRows = document.querySelector('#anomaly-table tbody');
  #anomaliesEmpty = document.getElementById('anomalies-empty');
  #recommendationRows = document.querySelector('#recommendation-table tbody');
  #recommendationsBasis = document.getElementById('recommendations-basis');
  #recommendationsEmpty = document.getElementById('recommendations-empty');
  #state = { history: null, forecast: null, anomalies: [] };
  #timer;
  #readAt = 0;
  #latest = 0;

  constructor(api) {
    this.#api = api;
    this.#plot = this.#create(document.getElementById('forecast-chart'));
  }

  start() {
    this.#timer = setInterval(() => this.reload(), refreshMilliseconds);
    // "When the panel is shown": scrolled into view, or its browser tab brought back.
    const whenStale = () => {
      if (Date.now() - this.#readAt > staleMilliseconds) this.reload();
    };
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) whenStale();
    }).observe(this.#panel);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') whenStale();
    });
    return this.reload();
  }

  stop() {
    clearInterval(this.#timer);
  }

  /**
   * Never rejects. Each part that cannot be read keeps what it showed and says why in the alert; a series without a
   * model yet (404) is not an error but the empty state.
   */
  async reload() {
    const request = ++this.#latest;
    this.#readAt = Date.now();
    const [history, forecast, anomalies, recommendations] = await Promise.allSettled([
      this.#api.visualizations('7d'),
      this.#api.forecasts(series).then(
        (items) => items.find((item) => item.series === series) ?? null,
        (error) => {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        },
      ),
      this.#api.anomalies(),
      this.#api.recommendations(),
    ]);
    if (request !== this.#latest) return;

    const problems = [];
    const take = (result, what, apply) => {
      if (result.status === 'fulfilled') apply(result.value);
      else problems.push(`Could not read the ${what}: ${result.reason.message}`);
    };
    take(history, 'completions of the last 7 days', (value) => {
      this.#state.history = value;
    });
    take(forecast, 'forecast', (value) => {
      this.#state.forecast = value;
      this.#renderModel(value);
    });
    take(anomalies, 'anomalies', (value) => {
      this.#state.anomalies = value;
      this.#renderAnomalies(value);
    });
    take(recommendations, 'scaling advice', (value) => this.#renderRecommendations(value));
    this.#error.textContent = problems.join(' ');
    this.#renderChart();
  }

  #renderModel(forecast) {
    this.#none.hidden = forecast !== null;
    this.#model.hidden = forecast === null;
    if (forecast === null) return;
    const method = methodNames[forecast.method] ?? forecast.method;
    const confidence = forecast.confident ? `${intervalLabel}; confident` : `${intervalLabel}; not confident: no scaling advice`;
    this.#model.dataset.confident = String(forecast.confident);
    this.#model.textContent = `${method}, model version ${forecast.modelVersion}, made ${hourText(forecast.madeAt)}. ${confidence}`;
  }

  #renderChart() {
    const { history, forecast, anomalies } = this.#state;
    const data = chartData(history, forecast, anomalies);
    const points = forecast?.points ?? [];
    const end = points.length === 0 ? null : Date.parse(points.at(-1).at) / 1000;
    this.#window = history === null
      ? null
      : [Date.parse(history.from) / 1000, Math.max(Date.parse(history.to) / 1000, end ?? 0)];
    this.#plot.setData(data);
  }

  #renderAnomalies(anomalies) {
    const newestFirst = [...anomalies].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    this.#anomaliesEmpty.hidden = newestFirst.length > 0;
    this.#anomalyRows.closest('table').hidden = newestFirst.length === 0;
    this.#anomalyRows.replaceChildren(...newestFirst.map((anomaly) => {
      const format = valueFormat(anomaly.series);
      const hourCell = element('td');
      hourCell.append(time(anomaly.at));
      return tableRow({ 'data-series': anomaly.series },
        element('td', { class: 'wrap' }, seriesName(anomaly.series)),
        hourCell,
        element('td', { class: 'amount' }, `${orDash(anomaly.value, format)} vs ${orDash(anomaly.expected, format)} expected`),
        element('td', { class: 'amount' }, orDash(anomaly.score, (score) => number(score))),
      );
    }));
  }

  #renderRecommendations(recommendations) {
    // The whole workforce first, then the capability sets by name.
    const ordered = [...recommendations].sort((a, b) => (a.capability === '*' ? -1 : b.capability === '*' ? 1 : a.capability.localeCompare(b.capability)));
    this.#recommendationsEmpty.hidden = ordered.length > 0;
    this.#recommendationRows.closest('table').hidden = ordered.length === 0;
    this.#recommendationsBasis.hidden = ordered.length === 0;
    if (ordered.length > 0) {
      const first = ordered[0];
      this.#recommendationsBasis.textContent =
        `Agents needed to run at ${Math.round(first.targetUtilisation * 100)} % of their slots over the next ${first.hours.length} hours, ` +
        `from model version ${first.modelVersion} (made ${hourText(first.madeAt)}).`;
    }
    this.#recommendationRows.replaceChildren(...ordered.map((recommendation) => {
      const peak = peakOf(recommendation.hours);
      const atCell = element('td');
      atCell.append(peak === null ? '–' : time(peak.at));
      return tableRow({ 'data-capability': recommendation.capability },
        element('td', {}, capabilityName(recommendation.capability)),
        element('td', { class: 'amount' }, orDash(recommendation.agentsNow, String)),
        element('td', { class: 'amount' }, peak === null ? '–' : String(peak.agents)),
        atCell,
      );
    }));
  }

  #create(container) {
    const plot = new uPlot(
      {
        width: container.clientWidth || 320,
        height: chartHeight,
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true, range: (_, min, max) => this.#window ?? [min, max] },
          y: { range: (_, min, max) => [0, Math.max(max, 0) * 1.1 || 1] },
        },
        axes: [{ stroke: axisStroke, space: 70, values: timeLabels }, { stroke: axisStroke, label: 'completed / hour' }],
        series: [
          { value: '{D} {MMM} {HH}:{mm}' },
          line('Upper (85 %)', edge, { width: 1, points: { show: false } }),
          line('Lower (85 %)', edge, { width: 1, points: { show: false } }),
          line('Forecast', amber, { dash: [6, 3] }),
          line('Completed', blue),
          {
            label: 'Anomaly',
            stroke: red,
            paths: () => null,
            points: { show: true, size: 10, width: 2, stroke: red, fill: red },
            value: (_, value) => orDash(value, number),
          },
        ],
        // Filled from the upper edge down to the lower one; a null at either edge leaves a gap in the band.
        bands: [{ series: [1, 2], fill: bandFill }],
      },
      [[], [], [], [], [], []],
      container,
    );
    new ResizeObserver(() => {
      if (container.clientWidth > 0) plot.setSize({ width: container.clientWidth, height: chartHeight });
    }).observe(container);
    return plot;
  }
}
