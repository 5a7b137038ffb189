// Queue depth per priority and the live throughput / failure-rate chart, fed by queueStats events.
import uPlot from 'uplot';

const windowSeconds = 10 * 60;
// A server counts towards the totals while its latest stats are this recent. A server sends them while its last
// minute saw any work (every 500 ms by default), so ten missed sends mean it has nothing to count or is gone.
const staleAfterMs = 5_000;
const clockTime = (seconds) => new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });

export class QueueView {
  #figures;
  #chart;
  #times = [];
  #throughput = [];
  #failureRate = [];
  /** Each server's latest stats and when they arrived, by the id the server sends. */
  #servers = new Map();

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

  /**
   * The counts are the shared store's, so the latest stats have them right. Completions and failures are counted by
   * each server for what it committed (several servers behind Azure SignalR Service each send their own), so the
   * figures are the sum of every recent server's latest.
   */
  apply(stats) {
    const { completed, failed } = this.#perMinute(stats);
    const finished = completed + failed;
    const failureRate = finished === 0 ? 0 : (100 * failed) / finished;
    const shown = {
      ...stats.pending,
      assigned: stats.assigned,
      running: stats.running,
      throughput: completed,
      failureRate: `${failureRate.toFixed(1)} %`,
    };
    for (const [name, node] of Object.entries(this.#figures)) node.textContent = String(shown[name]);

    // Servers' clocks differ a little: a sample stamped no later than the last one updates it, since uPlot needs
    // the times in order.
    const time = Date.parse(stats.at) / 1000;
    if (this.#times.length > 0 && time <= this.#times.at(-1)) {
      this.#throughput[this.#throughput.length - 1] = completed;
      this.#failureRate[this.#failureRate.length - 1] = failureRate;
    } else {
      this.#times.push(time);
      this.#throughput.push(completed);
      this.#failureRate.push(failureRate);
    }
    while (this.#times.length > 0 && this.#times[0] < this.#times.at(-1) - windowSeconds) {
      this.#times.shift();
      this.#throughput.shift();
      this.#failureRate.shift();
    }
    this.#chart.setData([this.#times, this.#throughput, this.#failureRate]);
  }

  #perMinute(stats) {
    const now = performance.now();
    this.#servers.set(stats.server, { stats, receivedAt: now });
    let completed = 0;
    let failed = 0;
    for (const [server, latest] of this.#servers) {
      if (latest.receivedAt < now - staleAfterMs) {
        this.#servers.delete(server);
      } else {
        completed += latest.stats.throughputPerMinute;
        failed += latest.stats.failuresPerMinute;
      }
    }
    return { completed, failed };
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
