// The usage panel: one gauge per meter of the current billing period against the plan's limit, and the days left.
import { element } from './dom.js';

const meters = [
  ['tasks', 'Tasks', (n) => n.toLocaleString()],
  ['computeMinutes', 'Compute minutes', (n) => n.toLocaleString(undefined, { maximumFractionDigits: 2 })],
  ['apiCalls', 'API calls', (n) => n.toLocaleString()],
  ['storageBytes', 'Storage', formatBytes],
];
const refreshMilliseconds = 15_000;

function formatBytes(bytes) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${units[unit]}`;
}

export class UsagePanel {
  #api;
  #summary = document.getElementById('usage-summary');
  #gauges = document.getElementById('usage-gauges');
  #timer;

  constructor(api) {
    this.#api = api;
  }

  start() {
    this.#timer = setInterval(() => this.reload().catch(() => {}), refreshMilliseconds);
    return this.reload();
  }

  stop() {
    clearInterval(this.#timer);
  }

  async reload() {
    this.render(await this.#api.usage());
  }

  render(usage) {
    const daysLeft = Math.max(0, Math.ceil((new Date(usage.periodEnd) - new Date(usage.asOf)) / 86_400_000));
    const ends = new Date(usage.periodEnd).toLocaleDateString();
    this.#summary.textContent = `${usage.plan[0].toUpperCase()}${usage.plan.slice(1)} plan · ${daysLeft} day${daysLeft === 1 ? '' : 's'} left in this period (ends ${ends})`;
    this.#gauges.replaceChildren(...meters.map(([key, label, format]) => this.#gauge(key, label, format, usage.meters[key])));
  }

  #gauge(key, label, format, meter) {
    const item = element('li', { class: 'gauge', 'data-meter': key });
    const id = `gauge-${key}`;
    item.append(element('label', { for: id }, label));
    if (meter.limit === null) {
      item.append(element('p', { class: 'gauge-figure' }, `${format(meter.used)} · unlimited`));
      return item;
    }
    const gauge = element('meter', {
      id, min: '0', max: String(meter.limit), value: String(Math.min(meter.used, meter.limit)),
      low: String(meter.limit * 0.8), high: String(meter.limit * 0.999), optimum: '0',
    });
    item.append(gauge, element('p', { class: 'gauge-figure' }, `${format(meter.used)} of ${format(meter.limit)} (${meter.percent}%)`));
    if (meter.percent >= 100) item.classList.add('exhausted');
    else if (meter.percent >= 80) item.classList.add('warning');
    return item;
  }
}
