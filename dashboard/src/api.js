// The v1 HTTP API, called with the tenant key. Refusals arrive as problem+json; their detail says what to do.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export class WorkforceApi {
  #key;

  constructor(key) {
    this.#key = key;
  }

  agents() {
    return this.#send('GET', '/agents?limit=500').then((page) => page.items);
  }

  removeAgent(id) {
    return this.#send('DELETE', `/agents/${id}`);
  }

  /** A draining agent finishes what it holds and leases nothing new until resumed. */
  setDraining(id, draining) {
    return this.#send('POST', `/agents/${id}/${draining ? 'drain' : 'resume'}`);
  }

  tasks({ state, priority, agentId }) {
    const query = new URLSearchParams({ limit: '50' });
    if (state) query.set('state', state);
    if (priority) query.set('priority', priority);
    if (agentId) query.set('agentId', agentId);
    return this.#send('GET', `/tasks?${query}`).then((page) => page.items);
  }

  task(id) {
    return this.#send('GET', `/tasks/${id}`);
  }

  cancelTask(id) {
    return this.#send('POST', `/tasks/${id}/cancel`);
  }

  /**
   * Submits a failed or cancelled task's work again; resolves to the new task. The idempotency key names the
   * original, so a second click, or a second operator, gets the same new task instead of another copy.
   */
  retryTask(id) {
    return this.#send('POST', `/tasks/${id}/retry`, { 'Idempotency-Key': `retry-of-${id}` });
  }

  /** The current billing period's use of each meter against the plan's limits. */
  usage() {
    return this.#send('GET', '/usage');
  }

  /** The plan, its status and the open billing period, with any scheduled change of plan. */
  subscription() {
    return this.#send('GET', '/subscription');
  }

  /** The invoices of closed billing periods, newest first. */
  invoices() {
    return this.#send('GET', '/invoices').then((list) => list.items);
  }

  /** The tenant's webhook, email and SMS endpoints, with their status and since when they have been failing. */
  notificationEndpoints() {
    return this.#send('GET', '/notifications/endpoints').then((list) => list.items);
  }

  /** The latest deliveries to the endpoints, newest first, each with every attempt. */
  deliveries({ status }) {
    const query = new URLSearchParams({ limit: '50' });
    if (status) query.set('status', status);
    return this.#send('GET', `/notifications/deliveries?${query}`).then((page) => page.items);
  }

  /** Sends a failed delivery again from the start of the retry schedule; a pending one is refused (409). */
  retryDelivery(id) {
    return this.#send('POST', `/notifications/deliveries/${id}/retry`);
  }

  /** Sends the endpoint a notification.test event; resolves to its delivery, still pending. */
  testEndpoint(id) {
    return this.#send('POST', `/notifications/endpoints/${id}/test`);
  }

  /** The tenant's history over 1h, 24h, 7d or 30d, column-wise: timestamps and one value (or null) per step in each series. */
  visualizations(range) {
    return this.#send('GET', `/visualizations?${new URLSearchParams({ range })}`);
  }

  /** The forecasts of the next hours with their prediction intervals; 404 until the series has a model in service. */
  forecasts(series) {
    return this.#send('GET', `/forecasts?${new URLSearchParams({ series })}`).then((list) => list.items);
  }

  /** The hours of the last 7 days that the models did not expect, newest first. */
  anomalies() {
    return this.#send('GET', '/anomalies').then((list) => list.items);
  }

  /** The agents each capability set needs in the coming hours, made only from a confident forecast. */
  recommendations() {
    return this.#send('GET', '/recommendations').then((list) => list.items);
  }

  /** A short-lived token for the hub: a browser cannot send the key header on a WebSocket. */
  realtimeToken() {
    return this.#send('POST', '/realtime/token').then((response) => response.accessToken);
  }

  async #send(method, path, headers = {}) {
    const response = await fetch(`/api/v1${path}`, { method, headers: { ...headers, 'X-API-Key': this.#key } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new ApiError(response.status, problem.detail ?? `${method} ${path} failed with ${response.status}.`);
    }
    return response.status === 204 ? null : response.json();
  }
}
