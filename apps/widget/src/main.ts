import { ChatWidget, type IdentifyOptions } from './chat-widget';
import { ClientApi } from './client-api';
import { SessionStore } from './session.store';

/**
 * Entry of /widget.js: `<script src="https://YOUR_DOMAIN/widget.js" data-inbox="ldp_..." async>`.
 * Ledgerdesk's origin is where the script came from; the inbox is named by its public identifier.
 */
interface LedgerdeskApi {
  identify(options: IdentifyOptions): Promise<void>;
  open(): void;
  close(): void;
  reset(): void;
}

type Queued = [keyof LedgerdeskApi, ...unknown[]];

declare global {
  interface Window {
    Ledgerdesk?: Partial<LedgerdeskApi> & { q?: Queued[] };
  }
}

const PUBLIC_IDENTIFIER = /^ldp_[A-Za-z0-9]{24}$/;

function start(): void {
  const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-inbox]');
  if (!script || window.Ledgerdesk?.identify) return;
  const inbox = script.getAttribute('data-inbox') ?? '';
  if (!PUBLIC_IDENTIFIER.test(inbox)) {
    console.error('Ledgerdesk widget: data-inbox must be an inbox public_identifier (ldp_...)');
    return;
  }
  const origin = new URL(script.src, location.href).origin;
  const widget = new ChatWidget(new ClientApi(origin, inbox), new SessionStore(inbox), `${origin.replace(/^http/, 'ws')}/cable`);
  const queued = window.Ledgerdesk?.q ?? [];
  const api: LedgerdeskApi = {
    identify: (options) => widget.identify(options),
    open: () => widget.open(),
    close: () => widget.close(),
    reset: () => widget.reset(),
  };
  window.Ledgerdesk = api;
  const mount = () => {
    widget.mount();
    // Calls made before the script loaded: `window.Ledgerdesk = { q: [['identify', {...}]] }`.
    for (const [method, ...args] of queued) (api[method] as (...a: unknown[]) => unknown)?.(...args);
    window.dispatchEvent(new Event('ledgerdesk:ready'));
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

start();
