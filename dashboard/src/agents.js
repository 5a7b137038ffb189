// Agent cards: status, capabilities, active tasks against capacity, and CPU and memory sparklines built from the
// metrics each live update carries.
import { element } from './dom.js';
import { sparkline } from './sparkline.js';

const samplesKept = 30;

export class AgentBoard {
  #list;
  #count;
  #empty;
  #agents = new Map();
  #samples = new Map();
  #actions;
  #onChange;

  /**
   * @param {{ remove: (agent) => Promise<void>, setDraining: (agent, draining: boolean) => Promise<void> }} actions
   * @param {(agents) => void} onChange told the current agents whenever one comes or goes
   */
  constructor(actions, onChange) {
    this.#list = document.getElementById('agent-cards');
    this.#count = document.getElementById('agent-count');
    this.#empty = document.getElementById('agents-empty');
    this.#actions = actions;
    this.#onChange = onChange;
  }

  replaceAll(agents) {
    this.#agents.clear();
    this.#list.replaceChildren();
    for (const agent of agents) this.#put(agent);
    this.#changed();
  }

  /** Applies a batch of live updates: changed agents in their latest state, removed ones flagged. */
  apply(updates) {
    let membership = false;
    for (const update of updates) {
      if (update.removed) {
        membership ||= this.#agents.delete(update.id);
        this.#samples.delete(update.id);
        document.getElementById(cardId(update.id))?.remove();
      } else {
        membership ||= !this.#agents.has(update.id);
        this.#put(update);
      }
    }
    if (membership) this.#changed();
  }

  get agents() {
    return [...this.#agents.values()];
  }

  #put(agent) {
    this.#agents.set(agent.id, agent);
    this.#record(agent);
    const card = this.#card(agent);
    const existing = document.getElementById(card.id);
    if (existing) existing.replaceWith(card);
    else this.#list.append(card);
  }

  #record(agent) {
    const samples = this.#samples.get(agent.id) ?? { reportedAt: null, cpu: [], memory: [] };
    if (agent.metrics && agent.metrics.reportedAt !== samples.reportedAt) {
      samples.reportedAt = agent.metrics.reportedAt;
      samples.cpu = [...samples.cpu, agent.metrics.cpuPercent].slice(-samplesKept);
      samples.memory = [...samples.memory, agent.metrics.memoryMb].slice(-samplesKept);
    }
    this.#samples.set(agent.id, samples);
  }

  #card(agent) {
    const samples = this.#samples.get(agent.id);
    const card = element('li', { class: `card agent status-${agent.status}`, id: cardId(agent.id) });
    const heading = element('h3', {}, agent.name);
    const status = element('span', { class: 'badge' }, agent.status);
    heading.append(' ', status);
    if (agent.draining) heading.append(' ', element('span', { class: 'badge draining' }, 'draining'));

    const load = element('p', { class: 'load' });
    const meter = element('meter', { min: '0', max: String(agent.capacity), value: String(agent.activeTasks), 'aria-label': `Active tasks of ${agent.name}` });
    load.append(meter, ` ${agent.activeTasks} / ${agent.capacity} active`);

    const capabilities = element('ul', { class: 'capabilities', 'aria-label': 'Capabilities' });
    for (const capability of agent.capabilities) capabilities.append(element('li', {}, capability));
    if (agent.capabilities.length === 0) capabilities.append(element('li', { class: 'none' }, 'no capabilities'));

    const metrics = element('dl', { class: 'metrics' });
    metrics.append(
      metric('CPU', samples.cpu, agent.metrics ? `${agent.metrics.cpuPercent.toFixed(0)} %` : 'not reported', 100),
      metric('Memory', samples.memory, agent.metrics ? `${Math.round(agent.metrics.memoryMb)} MB` : 'not reported'),
    );

    const drain = element('button', { type: 'button', class: 'secondary small' }, agent.draining ? 'Resume' : 'Drain');
    drain.setAttribute('aria-label', `${agent.draining ? 'Resume' : 'Drain'} agent ${agent.name}`);
    drain.title = agent.draining ? 'Let the agent lease tasks again' : 'Finish the tasks it holds, lease no new ones';
    drain.addEventListener('click', () => this.#actions.setDraining(agent, !agent.draining));

    const remove = element('button', { type: 'button', class: 'danger small' }, 'Remove');
    remove.setAttribute('aria-label', `Remove agent ${agent.name}`);
    remove.addEventListener('click', () => {
      if (confirm(`Remove agent ${agent.name}? Its tasks go back to the queue.`)) this.#actions.remove(agent);
    });

    const actions = element('div', { class: 'actions' });
    actions.append(drain, remove);
    card.append(heading, load, capabilities, metrics, actions);
    return card;
  }

  #changed() {
    const count = this.#agents.size;
    this.#count.textContent = `(${count})`;
    this.#empty.hidden = count > 0;
    this.#onChange(this.agents);
  }
}

function metric(name, values, latest, max) {
  const wrapper = element('div');
  const value = element('dd');
  value.append(sparkline(values, max), element('span', {}, latest));
  wrapper.append(element('dt', {}, name), value);
  return wrapper;
}

const cardId = (id) => `agent-${id}`;
