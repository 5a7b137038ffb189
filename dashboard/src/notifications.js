// The notification log: newest first, a bounded number kept, each with its level in words (not colour alone).
import { element } from './dom.js';

const kept = 50;

export class NotificationLog {
  #list = document.getElementById('notification-list');

  add({ level, message, at }) {
    const item = element('li', { class: `notification level-${level}` });
    item.append(
      element('span', { class: 'badge' }, level),
      ' ',
      element('time', { datetime: at }, new Date(at).toLocaleTimeString()),
      ' ',
      element('span', {}, message),
    );
    this.#list.prepend(item);
    while (this.#list.children.length > kept) this.#list.lastElementChild.remove();
  }
}
