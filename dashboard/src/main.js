// The dashboard's entry point: sign-in with the tenant key (kept in session storage), then the live views.
import { AgentBoard } from './agents.js';
import { ApiError, WorkforceApi } from './api.js';
import { BillingPanel } from './billing.js';
import { DeliveryPanel } from './deliveries.js';
import { ForecastView } from './forecast.js';
import { HistoryView } from './history.js';
import { LiveConnection } from './live.js';
import { NotificationLog } from './notifications.js';
import { QueueView } from './queue.js';
import { TaskTable } from './tasks.js';
import { UsagePanel } from './usage.js';

const keyStorage = 'workforce.apiKey';
const connectionLabels = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline' };

const signInSection = document.getElementById('sign-in');
const signInForm = document.getElementById('sign-in-form');
const signInError = document.getElementById('sign-in-error');
const dashboard = document.getElementById('dashboard');
const signOutButton = document.getElementById('sign-out');
const connection = document.getElementById('connection');

let live = null;

function showConnection(state) {
  connection.dataset.state = state;
  connection.textContent = connectionLabels[state];
}

async function open(key) {
  const api = new WorkforceApi(key);
  // The subscription stays readable when the API-call quota is used up or the tenant is suspended, so it checks the
  // key; the metered lists may then be refused, which the dashboard reports instead of refusing the sign-in.
  await api.subscription();
  const refusedForQuota = [];
  const unlessQuota = (fallback) => (error) => {
    if (!(error instanceof ApiError && error.status === 429)) throw error;
    refusedForQuota.push(error);
    return fallback;
  };
  const agents = await api.agents().catch(unlessQuota([]));

  signInSection.hidden = true;
  dashboard.hidden = false;
  signOutButton.hidden = false;

  const notifications = new NotificationLog();
  const queue = new QueueView();
  const tasks = new TaskTable(api);
  const reportError = (error) => notifications.add({ level: 'error', message: error.message, at: new Date().toISOString() });
  const board = new AgentBoard(
    {
      remove: (agent) => api.removeAgent(agent.id).catch(reportError),
      setDraining: (agent, draining) => api.setDraining(agent.id, draining).catch(reportError),
    },
    (current) => tasks.setAgents(current),
  );
  board.replaceAll(agents);
  await tasks.reload().catch(unlessQuota(undefined));
  const deliveries = new DeliveryPanel(api, reportError);
  await deliveries.start().catch(unlessQuota(undefined));
  refusedForQuota.slice(0, 1).forEach(reportError);
  const usage = new UsagePanel(api);
  await usage.start();
  const billing = new BillingPanel(api);
  await billing.start();
  const history = new HistoryView(api);
  await history.start();
  const forecast = new ForecastView(api);
  await forecast.start();

  // After a reconnection, events of the gap are lost: read the current state again.
  const resync = () => Promise.all([api.agents().then((all) => board.replaceAll(all)), tasks.reload(), usage.reload(), billing.reload(), deliveries.reload(), history.reload(), forecast.reload()]).catch(() => {});
  const accessToken = () => api.realtimeToken().catch((error) => {
    if (error instanceof ApiError && error.status === 401) signOut(true);
    throw error;
  });
  live = new LiveConnection(
    accessToken,
    {
      taskUpdated: (updates) => tasks.apply(updates),
      taskRemoved: (removals) => tasks.remove(removals),
      agentUpdated: (updates) => board.apply(updates),
      queueStats: (stats) => queue.apply(stats),
      notification: (notification) => {
        notifications.add(notification);
        if (notification.message.includes('quota')) usage.reload().catch(() => {});
        // Each event of the catalogue may have made deliveries to the tenant's endpoints.
        if (notification.event) deliveries.soon();
      },
    },
    showConnection,
    resync,
  );
  await live.start();
}

function signOut(keyRejected = false) {
  sessionStorage.removeItem(keyStorage);
  live?.stop();
  location.hash = keyRejected ? 'signed-out' : '';
  location.reload();
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = signInForm.elements.apiKey.value.trim();
  signInError.textContent = '';
  if (!key) {
    signInError.textContent = 'Enter your tenant API key.';
    return;
  }
  try {
    await open(key);
    sessionStorage.setItem(keyStorage, key);
  } catch (error) {
    signInError.textContent = error instanceof ApiError && error.status === 401
      ? 'That key is not valid.'
      : error instanceof ApiError && error.status === 403
        ? 'That is an agent key; sign in with a tenant key.'
        : `Could not sign in: ${error.message}`;
    signInForm.elements.apiKey.focus();
  }
});

signOutButton.addEventListener('click', () => signOut());

const remembered = sessionStorage.getItem(keyStorage);
if (remembered) {
  open(remembered).catch((error) => signOut(error instanceof ApiError && error.status === 401));
} else if (location.hash === '#signed-out') {
  signInError.textContent = 'You were signed out because your key is no longer valid.';
}
