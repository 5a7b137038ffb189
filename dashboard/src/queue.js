// Queue depth per priority and the live throughput / failure-rate chart, fed by queueStats events.
import uPlot from 'uplot';

const windowSeconds = 10 * 60;

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
        // At least a minute wide, so the first few samples do not stretch across the whole chart.
        scales: { x: { time: true, range: (_, min, max) => (max == null ? [min, max] : [Math.min(min, max - 60), max]) }, rate: { range: [0, 100] } },
        axes: [
          { stroke: '#3b4252' },
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
}
