// The task table: the latest tasks matching the filters, loaded over HTTP and kept current by taskUpdated and
// taskRemoved events;
// and the detail dialog with a task's history and error, and buttons to cancel it or retry it as a new task.
import { element } from './dom.js';

const rowsShown = 50;
const terminal = new Set(['completed', 'failed', 'cancelled']);
const retryable = new Set(['failed', 'cancelled']);

export class TaskTable {
  #api;
  #body;
  #empty;
  #filters;
  #tasks = new Map();
  #agentNames = new Map();
  #detail;

  constructor(api) {
    this.#api = api;
    this.#body = document.querySelector('#task-table tbody');
    this.#empty = document.getElementById('tasks-empty');
    this.#filters = document.getElementById('task-filters');
    this.#filters.addEventListener('change', () => this.reload());
    this.#detail = new TaskDetail(api, (id) => this.#agentName(id));
  }

  get filter() {
    return Object.fromEntries(new FormData(this.#filters));
  }

  async reload() {
    const tasks = await this.#api.tasks(this.filter);
    this.#tasks = new Map(tasks.map((task) => [task.id, { ...task, agentId: task.assignedAgentId }]));
    this.#render();
  }

  /** Keeps the agent filter's choices and the agent names in the table in step with the agents. */
  setAgents(agents) {
    this.#agentNames = new Map(agents.map((agent) => [agent.id, agent.name]));
    const select = this.#filters.elements.agentId;
    const chosen = select.value;
    select.replaceChildren(element('option', { value: '' }, 'Any'));
    for (const agent of agents) select.append(element('option', { value: agent.id }, agent.name));
    select.value = this.#agentNames.has(chosen) ? chosen : '';
    this.#render();
  }

  /** Applies a batch of live updates; a newer revision replaces a row, a new matching task goes on top. */
  apply(updates) {
    const filter = this.filter;
    for (const update of updates) {
      const shown = this.#tasks.get(update.id);
      if (shown && shown.revision >= update.revision) continue;
      if (matches(update, filter)) this.#tasks.set(update.id, { ...shown, ...update, fresh: true });
      else this.#tasks.delete(update.id);
      this.#detail.refreshIfShowing(update);
    }
    this.#render();
  }

  /** Drops the deleted tasks' rows, and their detail if it is open. */
  remove(removals) {
    for (const removal of removals) {
      this.#tasks.delete(removal.id);
      this.#detail.closeIfShowing(removal.id);
    }
    this.#render();
  }

  #render() {
    const newestFirst = [...this.#tasks.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, rowsShown);
    this.#tasks = new Map(newestFirst.map((task) => [task.id, task]));
    this.#body.replaceChildren(...newestFirst.map((task) => this.#row(task)));
    this.#empty.hidden = newestFirst.length > 0;
    for (const task of newestFirst) task.fresh = false;
  }

  #row(task) {
    const row = element('tr', { class: task.fresh ? 'fresh' : '' });
    const open = element('button', { type: 'button', class: 'link', 'aria-label': `Details of task ${task.id}` }, task.id.slice(-8));
    open.addEventListener('click', () => this.#detail.show(task.id));
    const id = element('td');
    id.append(open);
    const state = element('td');
    state.append(element('span', { class: `badge state-${task.state}` }, task.state));
    row.append(
      id,
      element('td', {}, task.type),
      state,
      element('td', { class: `priority-${task.priority}` }, task.priority),
      element('td', {}, task.agentId ? this.#agentName(task.agentId) : '—'),
      element('td', {}, String(task.attempt)),
      element('td', {}, new Date(task.updatedAt).toLocaleTimeString()),
    );
    return row;
  }

  #agentName(id) {
    return this.#agentNames.get(id) ?? id.slice(-8);
  }
}

function matches(task, filter) {
  return (!filter.state || task.state === filter.state)
    && (!filter.priority || task.priority === filter.priority)
    && (!filter.agentId || task.agentId === filter.agentId);
}

class TaskDetail {
  #api;
  #agentName;
  #dialog = document.getElementById('task-detail');
  #cancel = document.getElementById('task-cancel');
  #retry = document.getElementById('task-retry');
  #actionError = document.getElementById('task-action-error');
  #taskId = null;

  constructor(api, agentName) {
    this.#api = api;
    this.#agentName = agentName;
    document.getElementById('task-close').addEventListener('click', () => this.#dialog.close());
    this.#dialog.addEventListener('close', () => (this.#taskId = null));
    this.#cancel.addEventListener('click', () => this.#act(async (id) => {
      await this.#api.cancelTask(id);
      await this.#load();
    }));
    this.#retry.addEventListener('click', () => this.#act(async (id) => {
      const copy = await this.#api.retryTask(id);
      await this.show(copy.id);
    }));
  }

  async show(id) {
    this.#taskId = id;
    this.#actionError.textContent = '';
    await this.#load();
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  refreshIfShowing(update) {
    if (update.id === this.#taskId) this.#load();
  }

  closeIfShowing(id) {
    if (id === this.#taskId) this.#dialog.close();
  }

  async #load() {
    const id = this.#taskId;
    const task = await this.#api.task(id);
    if (id !== this.#taskId) return;
    document.getElementById('task-detail-title').textContent = `Task ${task.type}`;
    const fields = document.getElementById('task-fields');
    fields.replaceChildren();
    for (const [name, value] of [
      ['Id', task.id],
      ['State', task.state],
      ['Priority', task.priority],
      ['Agent', task.assignedAgentId ? this.#agentName(task.assignedAgentId) : '—'],
      ['Attempt', `${task.attempt} of ${task.maxRetries + 1}`],
      ['Submitted', new Date(task.createdAt).toLocaleString()],
      ['Capabilities', task.requiredCapabilities.join(', ') || 'none'],
    ]) {
      const row = element('div');
      row.append(element('dt', {}, name), element('dd', {}, value));
      fields.append(row);
    }
    if (task.retryOf) {
      const original = element('button', { type: 'button', class: 'link', 'aria-label': `Open task ${task.retryOf}, which this task retries` }, task.retryOf.slice(-8));
      original.addEventListener('click', () => this.show(task.retryOf));
      const row = element('div');
      const value = element('dd');
      value.append(original);
      row.append(element('dt', {}, 'Retry of'), value);
      fields.append(row);
    }
    const error = document.getElementById('task-error');
    error.hidden = !task.error;
    error.textContent = task.error ? `Error: ${task.error}` : '';
    const steps = document.getElementById('task-history');
    steps.replaceChildren(...task.history.map((step) => {
      const text = `${step.from ?? 'submitted'} → ${step.to} at ${new Date(step.at).toLocaleTimeString()}`
        + (step.agentId ? ` on ${this.#agentName(step.agentId)}` : '')
        + (step.reason ? `: ${step.reason}` : '');
      return element('li', {}, text);
    }));
    this.#cancel.hidden = terminal.has(task.state);
    this.#retry.hidden = !retryable.has(task.state);
  }

  /** Runs an action on the shown task with its buttons disabled, so a double click does not act twice. */
  async #act(action) {
    this.#actionError.textContent = '';
    this.#cancel.disabled = this.#retry.disabled = true;
    try {
      await action(this.#taskId);
    } catch (error) {
      this.#actionError.textContent = error.message;
    } finally {
      this.#cancel.disabled = this.#retry.disabled = false;
    }
  }
}
