// The billing panel: the plan, the subscription's status and what it means, when the next invoice is issued, and the
// invoices so far.
import { element } from './dom.js';

const refreshMilliseconds = 15_000;

/** What each status means for the tenant. styles.css marks past_due and suspended as warnings: work is or will be refused. */
const meanings = {
  active: "In good standing: work is accepted within the plan's limits.",
  past_due: 'An invoice could not be charged. It is being retried; if it stays unpaid, work is refused.',
  suspended: 'Work is refused until the open invoice is paid.',
  cancelled: 'Cancelled: the plan stays in force until this period ends.',
};

const date = (iso) => new Date(iso).toLocaleDateString();
const words = (name) => name.replaceAll('_', ' ');
const capitalised = (id) => `${id[0].toUpperCase()}${id.slice(1)}`;
const money = (amount, currency) => new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);

export class BillingPanel {
  #api;
  #fields = document.getElementById('billing-fields');
  #standing = document.getElementById('billing-standing');
  #invoices = document.querySelector('#invoice-table tbody');
  #empty = document.getElementById('invoices-empty');
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
    const [subscription, invoices] = await Promise.all([this.#api.subscription(), this.#api.invoices()]);
    this.render(subscription, invoices);
  }

  /** @param invoices newest first, as the API lists them */
  render(subscription, invoices) {
    const badge = element('span', { class: `badge subscription-${subscription.status}` }, words(subscription.status));
    const rows = [
      ['Plan', `${subscription.planName} · ${money(subscription.price, subscription.currency)} per period`],
      ['Status', badge],
      ['Next invoice', `${date(subscription.periodEnd)}, when the period that began ${date(subscription.periodStart)} closes`],
    ];
    if (subscription.scheduled) {
      rows.push(['Scheduled', `Moves to the ${capitalised(subscription.scheduled.plan)} plan on ${date(subscription.scheduled.effectiveAt)}`]);
    }
    this.#fields.replaceChildren(...rows.map(([name, value]) => {
      const row = element('div');
      const definition = element('dd');
      definition.append(value);
      row.append(element('dt', {}, name), definition);
      return row;
    }));
    this.#standing.textContent = meanings[subscription.status] ?? '';
    this.#standing.className = `standing standing-${subscription.status}`;

    this.#invoices.replaceChildren(...invoices.map((invoice) => this.#row(invoice)));
    this.#empty.hidden = invoices.length > 0;
  }

  #row(invoice) {
    const row = element('tr');
    const status = element('td');
    status.append(element('span', { class: `badge invoice-${invoice.status}` }, words(invoice.status)));
    row.append(
      element('td', {}, `${date(invoice.periodStart)} – ${date(invoice.periodEnd)}`),
      element('td', { class: 'amount' }, money(invoice.total, invoice.currency)),
      status,
      element('td', {}, invoice.paidAt ? date(invoice.paidAt) : '—'),
    );
    return row;
  }
}
