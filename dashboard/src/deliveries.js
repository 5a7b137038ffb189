// The notification panel's endpoints and deliveries: where the tenant's events go, how each endpoint answered, and
// buttons to send an endpoint a test and to retry a delivery that failed for good.
import { ApiError } from './api.js';
import { element } from './dom.js';

const refreshMilliseconds = 15_000;
// How long after an action or a live event the panel reads again: a first attempt starts at once and a peer on
// a short retry schedule has settled by then; slower ones show at the next refresh.
const settleMilliseconds = 2_000;

const isRefusal = (error) => error instanceof ApiError && (error.status === 429 || error.status === 403);

/** A time of today as a time, an older one with its date: endpoints may have been failing for days. */
function when(iso) {
  const at = new Date(iso);
  return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
}

function time(iso) {
  return element('time', { datetime: iso }, when(iso));
}

export class DeliveryPanel {
  #api;
  #report;
  #endpointBody = document.querySelector('#endpoint-table tbody');
  #endpointsEmpty = document.getElementById('endpoints-empty');
  #deliveryBody = document.querySelector('#delivery-table tbody');
  #deliveriesEmpty = document.getElementById('deliveries-empty');
  #filters = document.getElementById('delivery-filters');
  #timer;
  #soon = null;
  #generation = 0;
  #refused = false;

  /** @param report shows an error in the notification log */
  constructor(api, report) {
    this.#api = api;
    this.#report = report;
    this.#filters.addEventListener('change', () => this.reload().catch(report));
    // The notification routes are metered API calls: a tab in the background does not spend the tenant's quota.
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.#refresh();
    });
  }

  /** Rejects when the first load fails; a refusal then is reported by the caller, later ones by the panel. */
  start() {
    this.#timer = setInterval(() => this.#refresh(), refreshMilliseconds);
    return this.reload();
  }

  stop() {
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
  }

  /** Reads again shortly: an event just raised may have made deliveries, and an action's first attempt is on its way. */
  soon() {
    if (this.#soon !== null) return;
    this.#soon = setTimeout(() => {
      this.#soon = null;
      this.#refresh();
    }, settleMilliseconds);
  }

  async reload() {
    const generation = ++this.#generation;
    let endpoints;
    let deliveries;
    try {
      [endpoints, deliveries] = await Promise.all([
        this.#api.notificationEndpoints(),
        this.#api.deliveries(Object.fromEntries(new FormData(this.#filters))),
      ]);
    } catch (error) {
      if (isRefusal(error)) this.#refused = true;
      throw error;
    }
    this.#refused = false;
    // An older read that answers late must not overwrite a newer one (after a filter change or an action).
    if (generation === this.#generation) this.render(endpoints, deliveries);
  }

  /** Reports a refusal when it begins, not at every refresh while the quota stays used up. */
  #refresh() {
    if (document.hidden) return;
    const wasRefused = this.#refused;
    this.reload().catch((error) => {
      if (isRefusal(error) && !wasRefused) this.#report(error);
    });
  }

  render(endpoints, deliveries) {
    const targets = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
    this.#endpointBody.replaceChildren(...endpoints.map((endpoint) => this.#endpointRow(endpoint)));
    this.#endpointsEmpty.hidden = endpoints.length > 0;
    this.#deliveryBody.replaceChildren(...deliveries.map((delivery) => this.#deliveryRow(delivery, targets.get(delivery.endpointId))));
    this.#deliveriesEmpty.hidden = deliveries.length > 0;
  }

  #endpointRow(endpoint) {
    const row = element('tr', { class: `endpoint-${endpoint.status}`, 'data-endpoint': endpoint.id });
    const status = element('td', { class: 'wrap' });
    status.append(element('span', { class: `badge endpoint-status-${endpoint.status}` }, endpoint.status));
    if (endpoint.disabledReason) status.append(' ', element('span', { class: 'reason' }, endpoint.disabledReason));
    const failing = element('td');
    if (endpoint.failingSince) failing.append(element('span', { class: 'failing' }, 'since '), time(endpoint.failingSince));
    else failing.textContent = '—';
    const actions = element('td');
    // A disabled endpoint is refused a test: it stays disabled until it is created again.
    if (endpoint.status === 'enabled') {
      const test = element('button', { type: 'button', class: 'small secondary', 'aria-label': `Send a test to ${endpoint.target}` }, 'Send test');
      test.addEventListener('click', () => this.#act(test, () => this.#api.testEndpoint(endpoint.id)));
      actions.append(test);
    }
    const events = endpoint.events.length > 0 ? endpoint.events.join(', ') : 'all but opt-in';
    row.append(
      element('td', {}, endpoint.channel),
      element('td', { class: 'wrap target' }, endpoint.target),
      status,
      element('td', { class: 'wrap' }, endpoint.minLevel === 'info' ? events : `${events} (${endpoint.minLevel} and above)`),
      failing,
      actions,
    );
    return row;
  }

  #deliveryRow(delivery, endpoint) {
    const row = element('tr', { class: `delivery-${delivery.status}`, 'data-delivery': delivery.id });
    const target = endpoint ? endpoint.target : `removed endpoint ${delivery.endpointId.slice(-8)}`;
    const event = element('td');
    event.append(element('code', {}, delivery.event), ' ', element('span', { class: 'hint' }, delivery.level));
    const status = element('td');
    status.append(element('span', { class: `badge delivery-status-${delivery.status}` }, delivery.status));
    const attempts = delivery.resends > 0
      ? `${delivery.attempts.length} (resent ${delivery.resends}×)`
      : String(delivery.attempts.length);
    const actions = element('td');
    if (delivery.status === 'failed' && endpoint?.status === 'enabled') {
      const retry = element('button', { type: 'button', class: 'small', 'aria-label': `Retry the ${delivery.event} delivery to ${target}` }, 'Retry');
      retry.addEventListener('click', () => this.#act(retry, () => this.#api.retryDelivery(delivery.id)));
      actions.append(retry);
    }
    row.append(
      event,
      element('td', { class: 'wrap target' }, target),
      status,
      element('td', {}, attempts),
      this.#lastAttempt(delivery.attempts.at(-1)),
      element('td', {}, delivery.status === 'pending' && delivery.nextAttemptAt ? when(delivery.nextAttemptAt) : '—'),
      actions,
    );
    return row;
  }

  /** The peer's answer in words: its status code (HTTP or SMTP), its reply and what went wrong, and when. */
  #lastAttempt(attempt) {
    const cell = element('td', { class: 'wrap last-attempt' });
    if (!attempt) {
      cell.textContent = 'none yet';
      return cell;
    }
    if (attempt.statusCode !== null) cell.append(element('strong', {}, String(attempt.statusCode)), ' ');
    const said = [attempt.reply, attempt.error].filter((text) => text);
    if (said.length > 0) cell.append(said.join(' · '), ' ');
    cell.append(element('span', { class: 'hint' }, `at ${when(attempt.at)}, ${attempt.durationMs} ms`));
    return cell;
  }

  /** Runs an action with its button disabled, so a double click does not act twice; then reads again. */
  async #act(button, action) {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      this.#report(error);
    } finally {
      button.disabled = false;
    }
    await this.reload().catch(() => {});
    this.soon();
  }
}
