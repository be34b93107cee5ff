import { CHAT_STYLES } from './chat.styles';
import type { Message } from './client-api';

export interface ShownMessage {
  key: string;
  content: string;
  type: Message['message_type'];
  author: string | null;
  state: 'sent' | 'pending' | 'failed';
}

const ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * The launcher and the chat panel, drawn in an open shadow root under one host element. Text
 * from the network is only ever set as textContent.
 */
export class ChatView {
  readonly host: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly title: HTMLElement;
  private readonly log: HTMLElement;
  private readonly state: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly launcher: HTMLButtonElement;

  constructor(handlers: { onSend(text: string): void; onInput(): void; onOpen(): void }) {
    this.host = document.createElement('ledgerdesk-widget');
    const shadow = this.host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = CHAT_STYLES;
    const root = element('div', 'root');
    this.panel = element('section', 'panel');
    this.panel.hidden = true;
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-label', 'Chat');

    const header = element('div', 'header');
    this.title = element('div', 'title', 'Chat with us');
    const close = element('button', 'close', '\u00d7');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close chat');
    close.onclick = () => this.setOpen(false);
    header.append(this.title, close);

    this.state = element('div', 'state', 'Reconnecting\u2026');
    this.state.hidden = true;
    this.log = element('div', 'log');
    this.log.setAttribute('aria-live', 'polite');
    this.typing = element('div', 'typing');
    this.typing.hidden = true;
    this.notice = element('div', 'notice');
    this.notice.hidden = true;

    const form = element('form', 'composer');
    this.input = element('textarea', 'input');
    this.input.placeholder = 'Write a message\u2026';
    this.input.setAttribute('aria-label', 'Message');
    this.input.maxLength = 20_000;
    const send = element('button', 'send', 'Send');
    send.type = 'submit';
    form.append(this.input, send);
    const submit = () => {
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = '';
      handlers.onSend(text);
    };
    form.onsubmit = (event) => {
      event.preventDefault();
      submit();
    };
    this.input.onkeydown = (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        submit();
      }
    };
    this.input.oninput = () => handlers.onInput();

    this.panel.append(header, this.state, this.log, this.typing, this.notice, form);
    this.launcher = element('button', 'launcher');
    this.launcher.type = 'button';
    this.launcher.setAttribute('aria-label', 'Open chat');
    this.launcher.innerHTML = ICON;
    this.launcher.onclick = () => {
      this.setOpen(this.panel.hidden);
      if (!this.panel.hidden) handlers.onOpen();
    };
    root.append(this.panel, this.launcher);
    shadow.append(style, root);
  }

  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.log.scrollTop = this.log.scrollHeight;
      this.input.focus();
    }
  }

  setTitle(text: string): void {
    this.title.textContent = text;
  }

  setConnection(state: 'connecting' | 'live' | 'offline'): void {
    this.state.hidden = state !== 'offline';
  }

  setTyping(name: string | null): void {
    this.typing.hidden = name === null;
    this.typing.textContent = name === null ? '' : `${name} is typing\u2026`;
  }

  setNotice(text: string | null): void {
    this.notice.hidden = text === null;
    this.notice.textContent = text ?? '';
  }

  render(messages: ShownMessage[]): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    const nodes = messages.map((message) => {
      const node = element('div', `msg ${message.type}${message.state === 'sent' ? '' : ` ${message.state}`}`);
      node.dataset.key = message.key;
      if (message.author && message.type === 'outgoing') node.append(element('span', 'author', message.author));
      node.append(document.createTextNode(message.content));
      if (message.state === 'failed') node.title = 'Not sent';
      return node;
    });
    if (nodes.length === 0) nodes.push(element('div', 'empty', 'Ask us anything: we usually answer within a few minutes.'));
    this.log.replaceChildren(...nodes);
    if (atBottom || messages.some((m) => m.state === 'pending')) this.log.scrollTop = this.log.scrollHeight;
  }
}
