// The notification log: newest first, a bounded number kept, each with its level in words (not colour alone) and,
// for an event of the catalogue, its type.
import { element } from './dom.js';

const kept = 50;

export class NotificationLog {
  #list = document.getElementById('notification-list');

  add({ level, message, at, event }) {
    const item = element('li', { class: `notification level-${level}` });
    item.append(
      element('span', { class: 'badge' }, level),
      ' ',
      element('time', { datetime: at }, new Date(at).toLocaleTimeString()),
      ' ',
    );
    if (event) item.append(element('code', { class: 'event-type' }, event), ' ');
    item.append(element('span', {}, message));
    this.#list.prepend(item);
    while (this.#list.children.length > kept) this.#list.lastElementChild.remove();
  }
}
