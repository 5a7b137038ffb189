// The live-updates connection: SignalR over WebSockets, authenticated with a short-lived token fetched with the
// key. It retries forever with capped, jittered exponential backoff, and reports live / reconnecting / offline.
import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';

const firstRetryMs = 500;
const maxRetryMs = 30_000;

/** 0.5 s, 1 s, 2 s … capped at 30 s, each shortened by up to a fifth so that many tabs do not retry in step. */
export function retryDelay(attempt) {
  const delay = Math.min(maxRetryMs, firstRetryMs * 2 ** attempt);
  return Math.round(delay * (0.8 + Math.random() * 0.2));
}

export class LiveConnection {
  #connection;
  #onState;
  #stopped = false;

  /**
   * @param {() => Promise<string>} accessToken
   * @param {{ taskUpdated: Function, taskRemoved: Function, agentUpdated: Function, queueStats: Function, notification: Function }} events
   * @param {(state: 'live' | 'reconnecting' | 'offline') => void} onState
   * @param {() => void} onResumed called after a reconnection, when events may have been missed
   */
  constructor(accessToken, events, onState, onResumed) {
    this.#onState = onState;
    this.#connection = new HubConnectionBuilder()
      .withUrl('/api/hubs/workforce', { accessTokenFactory: accessToken })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => retryDelay(context.previousRetryCount) })
      .configureLogging(LogLevel.Warning)
      .build();
    for (const [name, handler] of Object.entries(events)) this.#connection.on(name, handler);
    this.#connection.onreconnecting(() => onState('reconnecting'));
    this.#connection.onreconnected(() => {
      onState('live');
      onResumed();
    });
    // Automatic reconnection never gives up, so this runs only when the connection was stopped or the server
    // refused it outright; start over unless the user signed out.
    this.#connection.onclose(() => {
      if (!this.#stopped) this.#startWithRetries(onResumed);
    });
  }

  start() {
    return this.#startWithRetries(() => {});
  }

  async stop() {
    this.#stopped = true;
    this.#onState('offline');
    await this.#connection.stop();
  }

  async #startWithRetries(onStarted) {
    for (let attempt = 0; !this.#stopped; attempt++) {
      this.#onState(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        await this.#connection.start();
        this.#onState('live');
        onStarted();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt)));
      }
    }
  }
}
