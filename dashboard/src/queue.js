// Queue depth per priority and the live throughput / failure-rate chart, fed by queueStats events.
import uPlot from 'uplot';

const windowSeconds = 10 * 60;
const clockTime = (seconds) => new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });

export class QueueView {
  #figures;
  #chart;
  #times = [];
  #throughput = [];
  #failureRate = [];

  constructor() {
    this.#figures = Object.fromEntries(
      [...document.querySelectorAll('#queue-depth [data-figure]')].map((node) => [node.dataset.figure, node]),
    );
    const container = document.getElementById('throughput-chart');
    this.#chart = new uPlot(
      {
        width: container.clientWidth || 320,
        height: 180,
        legend: { live: false },
        cursor: { show: false },
        scales: { x: { time: true, range: (_, min, max) => this.#timeRange(min, max) }, rate: { range: [0, 100] } },
        axes: [
          { stroke: '#3b4252', space: 80, values: (_, splits) => splits.map(clockTime) },
          { stroke: '#3b4252', label: 'per minute' },
          { scale: 'rate', side: 1, stroke: '#3b4252', label: '% failed', grid: { show: false } },
        ],
        series: [
          {},
          { label: 'Completed / min', stroke: '#1d6fb8', width: 2 },
          { label: 'Failure rate %', stroke: '#b3261e', width: 2, dash: [6, 3], scale: 'rate' },
        ],
      },
      [[], [], []],
      container,
    );
    new ResizeObserver(() => this.#chart.setSize({ width: container.clientWidth, height: 180 })).observe(container);
  }

  apply(stats) {
    const finished = stats.throughputPerMinute + stats.failuresPerMinute;
    const failureRate = finished === 0 ? 0 : (100 * stats.failuresPerMinute) / finished;
    const shown = {
      ...stats.pending,
      assigned: stats.assigned,
      running: stats.running,
      throughput: stats.throughputPerMinute,
      failureRate: `${failureRate.toFixed(1)} %`,
    };
    for (const [name, node] of Object.entries(this.#figures)) node.textContent = String(shown[name]);

    const time = Date.parse(stats.at) / 1000;
    this.#times.push(time);
    this.#throughput.push(stats.throughputPerMinute);
    this.#failureRate.push(failureRate);
    while (this.#times.length > 0 && this.#times[0] < time - windowSeconds) {
      this.#times.shift();
      this.#throughput.shift();
      this.#failureRate.shift();
    }
    this.#chart.setData([this.#times, this.#throughput, this.#failureRate]);
  }

  /**
   * From the first sample to the latest, at least a minute wide so the first few samples do not stretch across the
   * whole chart. Taken from the samples rather than uPlot's proposal, which widens a single sample to 1000 days.
   */
  #timeRange(min, max) {
    if (this.#times.length === 0) return [min, max];
    const latest = this.#times.at(-1);
    return [Math.min(this.#times[0], latest - 60), latest];
  }
}
